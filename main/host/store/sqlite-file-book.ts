/**
 * The FileBook of a SQLite room (file-book.ts), in the tables of schema version 4
 * (sqlite-schema.ts): file_secret, file_uploads, file_blobs, and file_refs, which triggers on
 * text_state keep equal to the file ids every text entry lists in its current state. So a
 * message's files stop counting in the very commit that deletes it, and a crash cannot leave the
 * index and the logs disagreeing.
 *
 * Statements are prepared per call rather than kept: libsql closes a connection only once its
 * statements are garbage, and a host may hold this book after its store closed. Files are sent
 * far less often than messages, so the preparing costs nothing that matters.
 */
import type Database from 'libsql';
import * as v from 'valibot';
import { createFileSecret, type FileBook, type FinishedUpload, type StoredBlob } from './file-book';
import { corruptError, toStoreError } from './sqlite-errors';
import { encodeText, storedTextSchema } from './sqlite-schema';

const integer = v.pipe(v.number(), v.safeInteger());
const secretRowSchema = v.object({ secret: v.instance(Uint8Array) });
const uploadRowSchema = v.object({
  upload_id: storedTextSchema,
  file_id: storedTextSchema,
  peer_id: storedTextSchema,
  conv: storedTextSchema,
  name: storedTextSchema,
  finished: integer,
});
const blobRowSchema = v.object({
  id: storedTextSchema,
  size: integer,
  mime: storedTextSchema,
  width: v.nullable(integer),
  height: v.nullable(integer),
  thumb: v.nullable(storedTextSchema),
  created: integer,
});
const idRowSchema = v.object({ id: storedTextSchema });
const totalRowSchema = v.object({ total: integer });

const UPLOAD_COLUMNS = 'upload_id, file_id, peer_id, conv, name, finished';
const BLOB_COLUMNS = 'id, size, mime, width, height, thumb, created';
/** A stored file `b` that nothing needs: no text entry lists it, no file thumbs it, no upload. */
const UNNEEDED = `NOT EXISTS (SELECT 1 FROM file_refs r WHERE r.file_id = b.id)
  AND NOT EXISTS (SELECT 1 FROM file_blobs p WHERE p.thumb = b.id)
  AND NOT EXISTS (SELECT 1 FROM file_uploads u WHERE u.file_id = b.id)`;

export class SqliteFileBook implements FileBook {
  constructor(
    /** The open connection; throws a StoreError once the store is closed. */
    private readonly live: () => Database.Database,
    private readonly file: string,
    /** A write was made outside the store's commits: the next sync should carry it. */
    private readonly wrote: () => void,
  ) {}

  secret(): Buffer {
    return this.#use('read the room file secret', (db) => {
      const read = () => db.prepare('SELECT secret FROM file_secret WHERE singleton = 1').get();
      let row = read();
      if (row === undefined) {
        // As hex: this libsql panics on a bound Buffer (statement.rs, "unwrap on None").
        db.prepare(
          'INSERT OR IGNORE INTO file_secret (singleton, secret) VALUES (1, unhex(?))',
        ).run(createFileSecret().toString('hex'));
        this.wrote();
        row = read();
      }
      const parsed = v.safeParse(secretRowSchema, row);
      if (!parsed.success || parsed.output.secret.length !== 32) {
        throw corruptError(this.file, 'the room file secret is damaged');
      }
      return Buffer.from(parsed.output.secret);
    });
  }

  saveUpload(upload: FinishedUpload): void {
    this.#write('record an upload', (db) =>
      db
        .prepare(
          `INSERT OR REPLACE INTO file_uploads (${UPLOAD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(
          encodeText(upload.uploadId),
          encodeText(upload.fileId),
          encodeText(upload.peerId),
          encodeText(upload.conv),
          encodeText(upload.name),
          upload.finished,
        ),
    );
  }

  upload(uploadId: string): FinishedUpload | undefined {
    return this.#use('read an upload', (db) => {
      const row = db
        .prepare(`SELECT ${UPLOAD_COLUMNS} FROM file_uploads WHERE upload_id = ?`)
        .get(encodeText(uploadId));
      return row === undefined ? undefined : this.#upload(row);
    });
  }

  uploadOf(peerId: string, conv: string, fileId: string, since: number) {
    return this.#use('read an upload', (db) => {
      const row = db
        .prepare(
          `SELECT ${UPLOAD_COLUMNS} FROM file_uploads
           WHERE file_id = ? AND peer_id = ? AND conv = ? AND finished >= ?
           ORDER BY finished DESC LIMIT 1`,
        )
        .get(encodeText(fileId), encodeText(peerId), encodeText(conv), since);
      return row === undefined ? undefined : this.#upload(row);
    });
  }

  uploadsFinishedBefore(before: number, limit: number): FinishedUpload[] {
    return this.#use('read uploads', (db) =>
      db
        .prepare(
          `SELECT ${UPLOAD_COLUMNS} FROM file_uploads WHERE finished < ?
           ORDER BY finished LIMIT ?`,
        )
        .all(before, limit)
        .map((row) => this.#upload(row)),
    );
  }

  removeUpload(uploadId: string): void {
    this.#write('forget an upload', (db) =>
      db.prepare('DELETE FROM file_uploads WHERE upload_id = ?').run(encodeText(uploadId)),
    );
  }

  saveBlob(blob: StoredBlob): void {
    const text = (value: string | undefined) => (value === undefined ? null : encodeText(value));
    this.#write('record a file', (db) =>
      db
        .prepare(`INSERT OR IGNORE INTO file_blobs (${BLOB_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`)
        .run(
          encodeText(blob.id),
          blob.size,
          encodeText(blob.mime),
          blob.width ?? null,
          blob.height ?? null,
          text(blob.thumb),
          blob.created,
        ),
    );
  }

  blob(id: string): StoredBlob | undefined {
    return this.#use('read a file', (db) => {
      const row = db
        .prepare(`SELECT ${BLOB_COLUMNS} FROM file_blobs WHERE id = ?`)
        .get(encodeText(id));
      if (row === undefined) return undefined;
      const { width, height, thumb, ...rest } = this.#parse(blobRowSchema, row);
      return {
        ...rest,
        ...(width !== null && { width }),
        ...(height !== null && { height }),
        ...(thumb !== null && { thumb }),
      };
    });
  }

  blobBytes(): number {
    return this.#use('add up the files', (db) => {
      const row = db.prepare('SELECT coalesce(sum(size), 0) AS total FROM file_blobs').get();
      return this.#parse(totalRowSchema, row).total;
    });
  }

  unreferencedBlobs(limit: number): string[] {
    return this.#use('look for unused files', (db) =>
      db
        .prepare(`SELECT id FROM file_blobs b WHERE ${UNNEEDED} LIMIT ?`)
        .all(limit)
        .map((row) => this.#parse(idRowSchema, row).id),
    );
  }

  removeBlobIfUnreferenced(id: string): boolean {
    const { changes } = this.#write('forget a file', (db) =>
      db.prepare(`DELETE FROM file_blobs AS b WHERE id = ? AND ${UNNEEDED}`).run(encodeText(id)),
    );
    return changes > 0;
  }

  #upload(row: unknown): FinishedUpload {
    const parsed = this.#parse(uploadRowSchema, row);
    return {
      uploadId: parsed.upload_id,
      fileId: parsed.file_id,
      peerId: parsed.peer_id,
      conv: parsed.conv,
      name: parsed.name,
      finished: parsed.finished,
    };
  }

  #parse<T extends v.GenericSchema>(schema: T, row: unknown): v.InferOutput<T> {
    const parsed = v.safeParse(schema, row);
    if (!parsed.success) {
      throw corruptError(this.file, `a file record is damaged: ${v.summarize(parsed.issues)}`);
    }
    return parsed.output;
  }

  #use<T>(doing: string, query: (db: Database.Database) => T): T {
    const db = this.live();
    try {
      return query(db);
    } catch (error) {
      throw toStoreError(error, this.file, doing);
    }
  }

  #write<T>(doing: string, query: (db: Database.Database) => T): T {
    const result = this.#use(doing, query);
    this.wrote();
    return result;
  }
}
