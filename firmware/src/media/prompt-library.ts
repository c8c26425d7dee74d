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
    this.#builtDir = o.builtDir;
    this.#uploadDir = o.uploadDir;
    this.#language = o.language;
  }

  file(id: string): string {
    if (id.startsWith(UPLOADED_PREFIX)) return path.join(this.#uploadDir, `${id.slice(UPLOADED_PREFIX.length)}.wav`);
    if (id.includes('/')) return path.join(this.#builtDir, `${id}.wav`);
    return path.join(this.#builtDir, this.#lang(), `${id}.wav`);
  }

  exists(id: string): boolean {
    return existsSync(this.file(id));
  }

  #lang(): PromptLanguage {
    const lang = this.#language().slice(0, 2);
    return (promptLanguages as readonly string[]).includes(lang) ? (lang as PromptLanguage) : 'en';
  }
}
