import path from 'node:path';
import { getSettings } from '../config/repositories/settings.ts';
import { promptLanguages, type PromptLanguage } from '../media/prompt-catalog.ts';
import type { Database } from 'better-sqlite3';

/**
 * Prompt ids as the site file writes them: `moh/default` is a path under the prompts directory, a bare id such as
 * `all-agents-busy` is a built-in phrase in the site's language (English when the box has no prompts in it).
 */
export class PromptFiles {
  readonly #dir: string;
  readonly #db: Database;

  constructor(dir: string, db: Database) {
    this.#dir = path.resolve(dir);
    this.#db = db;
  }

  file(id: string): string {
    const file = id.includes('/') ? path.join(this.#dir, `${id}.wav`) : path.join(this.#dir, this.#language(), `${id}.wav`);
    // The site file's prompt names allow dots and slashes: none may lead out of the prompts directory.
    if (!file.startsWith(this.#dir + path.sep)) throw new Error(`prompt ${id} is outside the prompts directory`);
    return file;
  }

  files(ids: readonly string[]): string[] {
    return ids.map((id) => this.file(id));
  }

  #language(): PromptLanguage {
    const lang = getSettings(this.#db).site.language.slice(0, 2);
    return (promptLanguages as readonly string[]).includes(lang) ? (lang as PromptLanguage) : 'en';
  }
}
