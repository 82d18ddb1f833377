import { DomainError } from '@harbour/kernel';
import { AggregateRepository, IdempotencyKeyReused, type Decider } from '@harbour/event-store';
import { startStoreContext, testActor, type StoreContext } from '../support/store-context.js';

// A tiny aggregate for the repository's rules: a room with limited seats.
type RoomEvent = { type: 'SeatBooked'; data: { guest: string } };
type RoomCommand = { type: 'BookSeat'; guest: string };
type Room = { guests: string[] };
const SEATS = 3;
const room: Decider<Room, RoomCommand, RoomEvent> = {
  initialState: () => ({ guests: [] }),
  decide: (command, state) => {
    if (state.guests.includes(command.guest))
      throw new DomainError('conflict', 'already-booked', 'This guest already has a seat');
    if (state.guests.length >= SEATS) throw new DomainError('conflict', 'room-full', 'The room is full');
    return [{ type: 'SeatBooked', data: { guest: command.guest } }];
  },
  evolve: (state, event) => ({ guests: [...state.guests, event.data.guest] }),
};

describe('aggregate repository', () => {
  let ctx: StoreContext;
  let repository: AggregateRepository;
  beforeAll(async () => {
    ctx = await startStoreContext();
    repository = ctx.app.get(AggregateRepository);
  });
  afterAll(() => ctx.close());

  const book = (streamId: string, guest: string, key?: string) =>
    repository.execute({
      streamId,
      decider: room,
      command: { type: 'BookSeat', guest },
      context: { actor: testActor },
      idempotency: key ? { key } : undefined,
      result: ({ state, version }) => ({ seats: state.guests.length, version }),
    });

  it('decides on the folded state and stores only what it decided', async () => {
    expect(await book('room-1', 'ana')).toEqual({ seats: 1, version: 0 });
    expect(await book('room-1', 'bo')).toEqual({ seats: 2, version: 1 });
    await expect(book('room-1', 'ana')).rejects.toMatchObject({ code: 'already-booked' });
    expect((await ctx.store.readStream('room-1')).map((e) => e.data)).toEqual([{ guest: 'ana' }, { guest: 'bo' }]);
    expect((await repository.load('room-1', room)).state.guests).toEqual(['ana', 'bo']);
  });

  it('stores facts for other streams in the same transaction, all or nothing', async () => {
    const withLedger = (guest: string, expected: 'no-stream' | number) =>
      repository.execute({
        streamId: 'room-ledger',
        decider: room,
        command: { type: 'BookSeat', guest },
        context: { actor: testActor },
        maxAttempts: 1,
        alongside: async ({ events }) => [
          { streamId: 'ledger-1', expected, events: events.map((e) => ({ type: 'SeatLogged', data: e.data })) },
        ],
      });
    await withLedger('ana', 'no-stream');
    expect((await ctx.store.readStream('ledger-1')).map((e) => e.type)).toEqual(['SeatLogged']);
    // The other stream moved on: neither stream gets the second booking.
    await expect(withLedger('bo', 'no-stream')).rejects.toMatchObject({ name: expect.any(String) });
    expect((await ctx.store.readStream('room-ledger')).map((e) => e.data)).toEqual([{ guest: 'ana' }]);
    expect(await ctx.store.readStream('ledger-1')).toHaveLength(1);
  });

  it('re-decides on conflict so racing commands cannot overbook', async () => {
    const outcomes = await Promise.allSettled(['a', 'b', 'c', 'd', 'e', 'f'].map((g) => book('room-race', g)));
    const booked = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(booked).toHaveLength(SEATS);
    refused.forEach((r) => expect(r.reason).toMatchObject({ code: 'room-full' }));
    expect((await ctx.store.readStream('room-race')).length).toBe(SEATS);
  });

  it('returns the first result for a repeated idempotency key and appends nothing', async () => {
    const first = await book('room-2', 'cy', 'key-123');
    const count = async () => (await ctx.pool.query('SELECT count(*)::int AS n FROM harbour_events')).rows[0].n;
    const before = await count();
    // The repeat would now be refused by the aggregate (cy already booked): it must not be decided again.
    expect(await book('room-2', 'cy', 'key-123')).toEqual(first);
    expect(await count()).toBe(before);
    await expect(book('room-2', 'dee', 'key-123')).rejects.toBeInstanceOf(IdempotencyKeyReused);
  });

  it('answers concurrent repeats of one key with one append', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => book('room-3', 'eve', 'key-concurrent')));
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(await ctx.store.readStream('room-3')).toHaveLength(1);
  });
});
