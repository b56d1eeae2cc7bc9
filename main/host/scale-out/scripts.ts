/**
 * The Lua scripts that change a shared room, each one atomic step in Redis (as centrifuge's
 * `broker_history_add_stream.lua` is for a publication). Every script that changes what hosts must
 * learn appends one event to the room's stream, naming the previous event, so a host that reads
 * an event whose predecessor it has not seen knows it missed some (keys.ts names the keys).
 *
 * Conventions: KEYS[1] is the event stream and KEYS[2] the id of its newest event; ARGV[1] is the
 * host that runs the script and ARGV[2] how many events the stream keeps (approximately).
 * Replies are arrays whose first item says what happened ('ok', 'dup', 'taken', 'invalid', ...).
 */

/** Appends one event; every script below starts with it. */
const EMIT = `
local function emit(kind, data)
  local prev = redis.call('GET', KEYS[2]) or '0-0'
  local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*',
    'p', prev, 'h', ARGV[1], 't', kind, 'd', data)
  redis.call('SET', KEYS[2], id)
  return id
end
`;

export interface ScriptSource {
  readonly name: string;
  readonly lua: string;
}

const script = (name: string, body: string): ScriptSource => ({ name, lua: EMIT + body });

/**
 * Creates the room unless it exists; replies {'ok', id, name} with the room as stored.
 * KEYS: 3 room, 4 conversations, 5 channelNames, 6 seqs. ARGV: 3 id, 4 name, 5 now (ms),
 * 6 general's record (JSON).
 */
export const CREATE_ROOM = script(
  'create_room',
  `
local existing = redis.call('HGET', KEYS[3], 'id')
if existing then return {'ok', existing, redis.call('HGET', KEYS[3], 'name')} end
redis.call('HSET', KEYS[3], 'id', ARGV[3], 'name', ARGV[4], 'created', ARGV[5])
redis.call('HSET', KEYS[4], 'general', ARGV[6])
redis.call('HSET', KEYS[5], 'general', 'general')
redis.call('HSET', KEYS[6], 'general', 0)
return {'ok', ARGV[3], ARGV[4]}
`,
);

/**
 * One entry: the exactly-once check, the next seq of its conversation, the entry in the log, the
 * event, and the exactly-once record, all or nothing.
 * KEYS: 3 conversations, 4 seqs, 5 log, 6 sayId record, 7 channelNames, 8 edits.
 * ARGV: 3 conv, 4 the entry without seq/conv/ts (JSON object), 5 sayId TTL (s),
 * 6 a new channel's record ('' otherwise), 7 its nameKey, 8 kind ('edit' and 'delete' matter),
 * 9 target seq ('' when none).
 * Replies {'ok', seq, ts}, {'dup', 'CONV SEQ'}, {'taken'} (channel name) or {'invalid', why}.
 */
export const APPEND = script(
  'append',
  `
local dup = redis.call('GET', KEYS[6])
if dup then return {'dup', dup} end
local conv = ARGV[3]
if ARGV[6] ~= '' then
  if redis.call('HEXISTS', KEYS[3], conv) == 1 then return {'invalid', 'the conversation exists'} end
  if redis.call('HEXISTS', KEYS[7], ARGV[7]) == 1 then return {'taken'} end
elseif redis.call('HEXISTS', KEYS[3], conv) == 0 then
  return {'invalid', 'no such conversation'}
end
local seq = redis.call('HINCRBY', KEYS[4], conv, 1)
local time = redis.call('TIME')
local ts = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local entry = '{"seq":' .. seq .. ',"conv":' .. cjson.encode(conv) .. ',"ts":' ..
  string.format('%d', ts) .. ',' .. string.sub(ARGV[4], 2)
if ARGV[6] ~= '' then
  local record = cjson.decode(ARGV[6])
  record.created = ts
  redis.call('HSET', KEYS[3], conv, cjson.encode(record))
  redis.call('HSET', KEYS[7], ARGV[7], conv)
end
local kind = ARGV[8]
if kind == 'edit' then
  local edits = redis.call('HGET', KEYS[8], ARGV[9])
  redis.call('HSET', KEYS[8], ARGV[9], (edits and (edits .. ',') or '') .. seq)
elseif kind == 'delete' then
  -- The target's text and files, and its edits' texts, leave the log (hosts purge their copies
  -- when they apply the delete entry).
  local target = redis.call('HGET', KEYS[5], ARGV[9])
  if target then
    local decoded = cjson.decode(target)
    if decoded.kind == 'text' then
      decoded.text = ''
      decoded.files = nil
      redis.call('HSET', KEYS[5], ARGV[9], cjson.encode(decoded))
      local edits = redis.call('HGET', KEYS[8], ARGV[9])
      if edits then
        for editSeq in string.gmatch(edits, '[^,]+') do
          local edit = redis.call('HGET', KEYS[5], editSeq)
          if edit then
            local decodedEdit = cjson.decode(edit)
            decodedEdit.text = ''
            redis.call('HSET', KEYS[5], editSeq, cjson.encode(decodedEdit))
          end
        end
        redis.call('HDEL', KEYS[8], ARGV[9])
      end
    end
  end
end
redis.call('HSET', KEYS[5], seq, entry)
redis.call('SET', KEYS[6], conv .. ' ' .. seq, 'EX', ARGV[5])
emit('e', entry)
return {'ok', seq, string.format('%d', ts)}
`,
);

/**
 * A direct conversation, unless it exists; the names of its members are remembered unless known.
 * KEYS: 3 conversations, 4 known. ARGV: 3 id, 4 record (JSON), 5 member a id, 6 a name,
 * 7 member b id, 8 b name. Replies {'ok'} or {'exists'}.
 */
export const OPEN_DIRECT = script(
  'open_direct',
  `
local existing = redis.call('HGET', KEYS[3], ARGV[3])
if existing then
  if cjson.decode(existing).kind ~= 'direct' then return {'invalid', 'not a direct conversation'} end
  return {'exists'}
end
redis.call('HSET', KEYS[3], ARGV[3], ARGV[4])
redis.call('HSETNX', KEYS[4], ARGV[5], ARGV[6])
redis.call('HSETNX', KEYS[4], ARGV[7], ARGV[8])
emit('d', ARGV[4])
return {'ok'}
`,
);

/**
 * Renames a channel if no other channel holds the name.
 * KEYS: 3 conversations, 4 channelNames. ARGV: 3 conv, 4 name, 5 new nameKey.
 * Replies {'ok'}, {'taken'} or {'invalid', why}.
 */
export const RENAME_CHANNEL = script(
  'rename_channel',
  `
local raw = redis.call('HGET', KEYS[3], ARGV[3])
if not raw then return {'invalid', 'no such channel'} end
local record = cjson.decode(raw)
if record.kind ~= 'channel' or ARGV[3] == 'general' then return {'invalid', 'not a renamable channel'} end
local holder = redis.call('HGET', KEYS[4], ARGV[5])
if holder and holder ~= ARGV[3] then return {'taken'} end
if record.key then redis.call('HDEL', KEYS[4], record.key) end
record.name = ARGV[4]
record.key = ARGV[5]
redis.call('HSET', KEYS[3], ARGV[3], cjson.encode(record))
redis.call('HSET', KEYS[4], ARGV[5], ARGV[3])
emit('rn', cjson.encode({conv = ARGV[3], name = ARGV[4]}))
return {'ok'}
`,
);

/** KEYS: 3 room. ARGV: 3 name. */
export const RENAME_ROOM = script(
  'rename_room',
  `
redis.call('HSET', KEYS[3], 'name', ARGV[3])
emit('room', cjson.encode({name = ARGV[3]}))
return {'ok'}
`,
);

/**
 * A person's session begins on a host: its name is claimed room-wide (name_taken if another
 * person holds it), it is present on this host (`joined` for the room if it was nowhere before,
 * `peer_renamed` if it is present elsewhere under another name), and its session is saved.
 * KEYS: 3 people, 4 names, 5 this host's peers, 6 sessions, 7 its read markers.
 * ARGV: 3 peer (JSON), 4 peer id, 5 nameKey, 6 token hash ('' for none), 7 session (JSON).
 * Replies {'taken'} or {'ok', conv1, seq1, conv2, seq2, ...} (its read markers).
 */
export const ARRIVE = script(
  'arrive',
  `
local owner = redis.call('HGET', KEYS[4], ARGV[5])
if owner and owner ~= ARGV[4] then return {'taken'} end
local raw = redis.call('HGET', KEYS[3], ARGV[4])
local peer = cjson.decode(ARGV[3])
local record
if raw then
  record = cjson.decode(raw)
  if record.key ~= ARGV[5] then
    if redis.call('HGET', KEYS[4], record.key) == ARGV[4] then redis.call('HDEL', KEYS[4], record.key) end
    emit('pr', cjson.encode({before = record.peer, after = peer}))
  end
  record.peer = peer
  record.key = ARGV[5]
else
  record = {peer = peer, key = ARGV[5], hosts = {}}
  emit('j', ARGV[3])
end
record.hosts[ARGV[1]] = 1
redis.call('HSET', KEYS[3], ARGV[4], cjson.encode(record))
redis.call('HSET', KEYS[4], ARGV[5], ARGV[4])
redis.call('SADD', KEYS[5], ARGV[4])
if ARGV[6] ~= '' then
  redis.call('HSET', KEYS[6], ARGV[6], ARGV[7])
  emit('s', cjson.encode({k = ARGV[6], s = cjson.decode(ARGV[7])}))
end
local reply = redis.call('HGETALL', KEYS[7])
table.insert(reply, 1, 'ok')
return reply
`,
);

/** Takes a peer off one host; the room's `left` when that was its last. */
const DEPART_FROM = `
local function departFrom(people, names, host, peerId)
  local raw = redis.call('HGET', people, peerId)
  if not raw then return 0 end
  local record = cjson.decode(raw)
  record.hosts[host] = nil
  if next(record.hosts) == nil then
    redis.call('HDEL', people, peerId)
    if redis.call('HGET', names, record.key) == peerId then redis.call('HDEL', names, record.key) end
    emit('l', cjson.encode(record.peer))
    return 1
  end
  redis.call('HSET', people, peerId, cjson.encode(record))
  return 0
end
`;

/**
 * A person's last session on this host ended.
 * KEYS: 3 people, 4 names, 5 this host's peers. ARGV: 3 peer id. Replies {'ok', left (0/1)}.
 */
export const DEPART = script(
  'depart',
  `${DEPART_FROM}
redis.call('SREM', KEYS[5], ARGV[3])
return {'ok', departFrom(KEYS[3], KEYS[4], ARGV[1], ARGV[3])}
`,
);

/**
 * Takes every peer of a host whose lease ran out off it (their `left` where that was their last
 * host), once: a host that still holds its lease is left alone.
 * KEYS: 3 people, 4 names, 5 its peers, 6 its lease, 7 hosts. ARGV: 3 its id.
 * Replies {'alive'} or {'ok', how many left}.
 */
export const REAP = script(
  'reap',
  `${DEPART_FROM}
if redis.call('EXISTS', KEYS[6]) == 1 then return {'alive'} end
local gone = 0
for _, peerId in ipairs(redis.call('SMEMBERS', KEYS[5])) do
  gone = gone + departFrom(KEYS[3], KEYS[4], ARGV[3], peerId)
end
redis.call('DEL', KEYS[5])
redis.call('SREM', KEYS[7], ARGV[3])
return {'ok', gone}
`,
);

/**
 * Renews this host's lease. KEYS: 3 its lease, 4 hosts. ARGV: 3 lease (ms).
 * Replies {'ok', 1 if the lease was still there, 0 if it had run out (the host was reaped)}.
 */
export const RENEW_LEASE = script(
  'renew_lease',
  `
local held = redis.call('EXISTS', KEYS[3])
redis.call('SET', KEYS[3], '1', 'PX', ARGV[3])
redis.call('SADD', KEYS[4], ARGV[1])
return {'ok', held}
`,
);

/** KEYS: 3 sessions. ARGV: 3 token hash, 4 session (JSON). */
export const SAVE_SESSION = script(
  'save_session',
  `
redis.call('HSET', KEYS[3], ARGV[3], ARGV[4])
emit('s', cjson.encode({k = ARGV[3], s = cjson.decode(ARGV[4])}))
return {'ok'}
`,
);

/** Raises a read marker (never lowers it). KEYS: 3 the identity's markers. ARGV: 3 peer, 4 conv, 5 seq. */
export const RAISE_READ = script(
  'raise_read',
  `
local current = tonumber(redis.call('HGET', KEYS[3], ARGV[4]) or '0')
if tonumber(ARGV[5]) <= current then return {'ok', 0} end
redis.call('HSET', KEYS[3], ARGV[4], ARGV[5])
emit('r', cjson.encode({p = ARGV[3], c = ARGV[4], s = tonumber(ARGV[5])}))
return {'ok', 1}
`,
);

/** The name an identity last used. KEYS: 3 known. ARGV: 3 peer id, 4 name. */
export const REMEMBER_PEER = script(
  'remember_peer',
  `
if redis.call('HGET', KEYS[3], ARGV[3]) == ARGV[4] then return {'ok', 0} end
redis.call('HSET', KEYS[3], ARGV[3], ARGV[4])
emit('n', cjson.encode({id = ARGV[3], name = ARGV[4]}))
return {'ok', 1}
`,
);

/**
 * Everything a host needs to start following the room, at one moment: the id of the newest
 * event (it follows the stream from there), the room, the conversations with their lastSeq, who
 * is present, and the names identities last used.
 * KEYS: 1 events (unused), 2 lastEvent, 3 room, 4 conversations, 5 seqs, 6 people, 7 known.
 */
export const SNAPSHOT: ScriptSource = {
  name: 'snapshot',
  lua: `
return {
  redis.call('GET', KEYS[2]) or '0-0',
  redis.call('HGETALL', KEYS[3]),
  redis.call('HGETALL', KEYS[4]),
  redis.call('HGETALL', KEYS[5]),
  redis.call('HGETALL', KEYS[6]),
  redis.call('HGETALL', KEYS[7])
}
`,
};
