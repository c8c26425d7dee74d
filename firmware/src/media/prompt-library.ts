import { existsSync } from 'node:fs';
import path from 'node:path';
import { promptLanguages, type PromptLanguage } from './prompt-catalog.ts';

/** Prompt names under this prefix are the site's own recordings, uploaded through the API. */
export const UPLOADED_PREFIX = 'custom/';

/** Where uploaded prompts are kept: in the data dir, so they survive firmware updates. */
export function uploadedPromptsDir(dataDir: string): string {
  return path.join(dataDir, 'prompts', 'custom');
}

/**
 * Prompt names as the site file writes them, as files rtpengine plays: `custom/NAME` is an uploaded prompt,
 * another name with a `/` (`moh/default`) a path in the built library, and a bare phrase id (`closed`) the
 * built phrase in the site's language (English when the box has no prompts in it).
 */
export class PromptLibrary {
  readonly #builtDir: string;
  readonly #uploadDir: string;
  readonly #language: () => string;

  constructor(o: { builtDir: string; uploadDir: string; language: () => string }) {
    this.#builtDir = path.resolve(o.builtDir);
    this.#uploadDir = path.resolve(o.uploadDir);
    this.#language = o.language;
  }

  /** The file of a prompt name; a name that would lead out of its directory (`..`) is refused. */
  file(id: string): string {
    const [dir, file] = id.startsWith(UPLOADED_PREFIX)
      ? [this.#uploadDir, path.join(this.#uploadDir, `${id.slice(UPLOADED_PREFIX.length)}.wav`)]
      : [this.#builtDir, id.includes('/') ? path.join(this.#builtDir, `${id}.wav`) : path.join(this.#builtDir, this.#lang(), `${id}.wav`)];
    if (!file.startsWith(dir + path.sep)) throw new Error(`prompt ${id} is outside the prompts directory`);
    return file;
  }

  files(ids: readonly string[]): string[] {
    return ids.map((id) => this.file(id));
  }

  exists(id: string): boolean {
    return existsSync(this.file(id));
  }

  #lang(): PromptLanguage {
    const lang = this.#language().slice(0, 2);
    return (promptLanguages as readonly string[]).includes(lang) ? (lang as PromptLanguage) : 'en';
  }
}
