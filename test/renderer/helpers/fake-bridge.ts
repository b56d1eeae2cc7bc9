/**
 * A ParleyBridge for component fixtures, running inside the test page. It records every call,
 * answers from a script the test sets up, and lets the test push RoomEvents.
 * Pure TypeScript (no DOM types), so the test files can share its types.
 */
import type {
  BridgeError,
  ConversationView,
  CreateChannelRequest,
  DeleteMessageRequest,
  DownloadRequest,
  EditRequest,
  HostRequest,
  JoinRequest,
  LoadOlderRequest,
  MarkReadRequest,
  MorePeersRequest,
  ParleyBridge,
  Preferences,
  ReactRequest,
  RenameChannelRequest,
  RoomEvent,
  RoomSummary,
  SearchHit,
  SearchRequest,
  SendRequest,
  SetMutedRequest,
  SetTopicRequest,
  UploadRequest,
  UploadStarted,
} from '../../../protocol/bridge';
import type { Entry, PeerV2 } from '../../../protocol/wire/entries';

export interface RecordedCall {
  method: string;
  arg: unknown;
}

/**
 * A scripted answer: a value, or a rejection with a code and a sentence (and, for the identity
 * errors of a TLS room, the fingerprint, room name and id they carry).
 */
export type Scripted<T> = { value: T } | { error: BridgeError };

export interface FakeBridgeScript {
  host?: Scripted<RoomSummary>;
  join?: Scripted<RoomSummary>;
  /** Answers to successive joins, used up in order before `join` answers the rest. */
  joins?: Scripted<RoomSummary>[];
  /** The answer to forgetRoom; resolves when absent. */
  forgetRoom?: Scripted<undefined>;
  send?: Scripted<string>;
  loadOlder?: Scripted<{ entries: Entry[]; more: boolean }>;
  /** Answers of the conversation requests; each resolves when absent, as the host would. */
  markRead?: Scripted<undefined>;
  createChannel?: Scripted<ConversationView>;
  joinChannel?: Scripted<ConversationView>;
  leaveChannel?: Scripted<undefined>;
  openDirect?: Scripted<ConversationView>;
  setTopic?: Scripted<undefined>;
  renameChannel?: Scripted<undefined>;
  morePeers?: Scripted<{ peers: PeerV2[]; more: boolean }>;
  /** Answers of the message changes; each resolves with an id when absent. */
  edit?: Scripted<string>;
  deleteMessage?: Scripted<string>;
  react?: Scripted<string>;
  search?: Scripted<SearchHit[]>;
  upload?: Scripted<UploadStarted>;
  preferences?: Preferences;
  /** Answers to host/join wait for `release()` when true, so a test can see the busy state. */
  hold?: boolean;
}

const DONE: Scripted<undefined> = { value: undefined };

export class FakeBridge implements ParleyBridge {
  readonly kind: 'desktop' | 'browser';
  readonly calls: RecordedCall[] = [];
  script: FakeBridgeScript;
  readonly #listeners = new Set<(event: RoomEvent) => void>();
  #held: (() => void)[] = [];
  #sendCount = 0;

  constructor(kind: 'desktop' | 'browser', script: FakeBridgeScript = {}) {
    this.kind = kind;
    this.script = script;
  }

  host(request: HostRequest): Promise<RoomSummary> {
    return this.#answer('host', request, this.script.host);
  }

  join(request: JoinRequest): Promise<RoomSummary> {
    return this.#answer('join', request, this.script.joins?.shift() ?? this.script.join);
  }

  async leave(): Promise<void> {
    this.calls.push({ method: 'leave', arg: undefined });
  }

  send(request: SendRequest): Promise<string> {
    this.#sendCount++;
    return this.#answer(
      'send',
      request,
      this.script.send ?? { value: `say-${this.#sendCount}` },
      false,
    );
  }

  edit(request: EditRequest): Promise<string> {
    return this.#answer('edit', request, this.script.edit ?? { value: 'edit-1' }, false);
  }

  deleteMessage(request: DeleteMessageRequest): Promise<string> {
    return this.#answer(
      'deleteMessage',
      request,
      this.script.deleteMessage ?? { value: 'delete-1' },
      false,
    );
  }

  react(request: ReactRequest): Promise<string> {
    return this.#answer('react', request, this.script.react ?? { value: 'react-1' }, false);
  }

  search(request: SearchRequest): Promise<SearchHit[]> {
    return this.#answer('search', request, this.script.search ?? { value: [] }, false);
  }

  async setMuted(request: SetMutedRequest): Promise<void> {
    this.calls.push({ method: 'setMuted', arg: request });
  }

  upload(request: UploadRequest): Promise<UploadStarted> {
    // Files cannot be recorded as they are: their names and sizes say what was sent.
    const files = request.files.map((file) => ({ name: file.name, size: file.size }));
    const scripted = this.script.upload ?? {
      value: { message: 'say-files', transfers: files.map((_, index) => `t${index + 1}`) },
    };
    return this.#answer('upload', { ...request, files }, scripted, false);
  }

  async cancelTransfer(transferId: string): Promise<void> {
    this.calls.push({ method: 'cancelTransfer', arg: transferId });
  }

  async download(request: DownloadRequest): Promise<string> {
    this.calls.push({ method: 'download', arg: request });
    return 'd1';
  }

  async showInFolder(transferId: string): Promise<void> {
    this.calls.push({ method: 'showInFolder', arg: transferId });
  }

  async retry(id: string): Promise<void> {
    this.calls.push({ method: 'retry', arg: id });
  }

  async typing(conv: string): Promise<void> {
    this.calls.push({ method: 'typing', arg: conv });
  }

  loadOlder(request: LoadOlderRequest): Promise<{ entries: Entry[]; more: boolean }> {
    return this.#answer(
      'loadOlder',
      request,
      this.script.loadOlder ?? { value: { entries: [], more: false } },
      false,
    );
  }

  async markRead(request: MarkReadRequest): Promise<void> {
    await this.#answer('markRead', request, this.script.markRead ?? DONE, false);
  }

  createChannel(request: CreateChannelRequest): Promise<ConversationView> {
    return this.#answer('createChannel', request, this.script.createChannel, false);
  }

  joinChannel(conv: string): Promise<ConversationView> {
    return this.#answer('joinChannel', conv, this.script.joinChannel, false);
  }

  async leaveChannel(conv: string): Promise<void> {
    await this.#answer('leaveChannel', conv, this.script.leaveChannel ?? DONE, false);
  }

  openDirect(peerId: string): Promise<ConversationView> {
    return this.#answer('openDirect', peerId, this.script.openDirect, false);
  }

  async setTopic(request: SetTopicRequest): Promise<void> {
    await this.#answer('setTopic', request, this.script.setTopic ?? DONE, false);
  }

  async renameChannel(request: RenameChannelRequest): Promise<void> {
    await this.#answer('renameChannel', request, this.script.renameChannel ?? DONE, false);
  }

  morePeers(request: MorePeersRequest): Promise<{ peers: PeerV2[]; more: boolean }> {
    return this.#answer(
      'morePeers',
      request,
      this.script.morePeers ?? { value: { peers: [], more: false } },
      false,
    );
  }

  async loadPreferences(): Promise<Preferences> {
    this.calls.push({ method: 'loadPreferences', arg: undefined });
    return this.script.preferences ?? { name: '', roomName: '', address: '', port: 7420 };
  }

  async savePreferences(preferences: Preferences): Promise<void> {
    this.calls.push({ method: 'savePreferences', arg: preferences });
    this.script.preferences = preferences;
  }

  async openExternal(url: string): Promise<void> {
    this.calls.push({ method: 'openExternal', arg: url });
  }

  async startDiscovery(): Promise<void> {
    this.calls.push({ method: 'startDiscovery', arg: undefined });
  }

  async stopDiscovery(): Promise<void> {
    this.calls.push({ method: 'stopDiscovery', arg: undefined });
  }

  async forgetRoom(roomId: string): Promise<void> {
    await this.#answer('forgetRoom', roomId, this.script.forgetRoom ?? { value: undefined }, false);
  }

  subscribe(listener: (event: RoomEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Pushes a room event to every subscriber, as the real bridges do. */
  emit(event: RoomEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  /** Lets held host/join answers go. */
  release(): void {
    const held = this.#held;
    this.#held = [];
    for (const go of held) go();
  }

  callsOf(method: string): unknown[] {
    return this.calls.filter((call) => call.method === method).map((call) => call.arg);
  }

  #answer<T>(
    method: string,
    arg: unknown,
    scripted: Scripted<T> | undefined,
    holdable = true,
  ): Promise<T> {
    this.calls.push({ method, arg });
    const settle = (): Promise<T> => {
      if (!scripted)
        return Promise.reject(new Error(`FakeBridge: no answer scripted for ${method}`));
      if ('error' in scripted) {
        return Promise.reject(Object.assign(new Error(scripted.error.message), scripted.error));
      }
      return Promise.resolve(scripted.value);
    };
    if (!holdable || !this.script.hold) return settle();
    return new Promise<void>((resolve) => this.#held.push(resolve)).then(settle);
  }
}
