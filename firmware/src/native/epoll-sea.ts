// Stands in for the `epoll` package (onoff's native addon) inside the one-file firmware only
// (scripts/build-firmware.sh aliases it): the addon built by scripts/build-native.sh travels as a SEA asset.
import { loadSeaAddon } from './sea-addon.ts';

export const Epoll = (loadSeaAddon('epoll.node') as { Epoll: unknown }).Epoll;
