// The real better-sqlite3 under another name, for the one-file firmware's shim (see better-sqlite3-sea.ts).
declare module 'better-sqlite3-original' {
  import Database from 'better-sqlite3';
  export default Database;
}
