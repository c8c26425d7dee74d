import './style.css';
import { start } from './app.ts';

void start(document.getElementById('app') as HTMLElement);
