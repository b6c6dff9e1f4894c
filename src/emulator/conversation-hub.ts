/**
 * Observers of conversations: simulated-user waiters and long polls register here only while they wait,
 * so an idle conversation carries no closures (issue #2 memory target).
 */
import type { Conversation, UserRecord } from './state.js';

export class ConversationHub {
  private readonly watchers = new Map<Conversation, Set<() => void>>();
  private readonly userWatchers = new Map<UserRecord, Set<(c: Conversation) => void>>();
  private readonly typingTimers = new Map<Conversation, ReturnType<typeof setTimeout>>();

  /** Something observable changed in `conv`. */
  changed(conv: Conversation): void {
    conv.version++;
    const set = this.watchers.get(conv);
    if (set) for (const fn of [...set]) fn();
  }

  /** A conversation reached `user` (bot-started or user-started). */
  arrived(user: UserRecord, conv: Conversation): void {
    const set = this.userWatchers.get(user);
    if (set) for (const fn of [...set]) fn(conv);
  }

  watch(conv: Conversation, fn: () => void): () => void {
    let set = this.watchers.get(conv);
    if (!set) this.watchers.set(conv, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0) this.watchers.delete(conv);
    };
  }

  watchUser(user: UserRecord, fn: (c: Conversation) => void): () => void {
    let set = this.userWatchers.get(user);
    if (!set) this.userWatchers.set(user, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0) this.userWatchers.delete(user);
    };
  }

  /**
   * Resolves when `test()` holds, re-checking on every change of `conv`; rejects after `timeoutMs`
   * with an error naming what was awaited.
   */
  until<T>(conv: Conversation, test: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const now = test();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what} in conversation ${conv.id}`));
      }, timeoutMs);
      const stop = this.watch(conv, () => {
        const v = test();
        if (v !== undefined) {
          clearTimeout(timer);
          stop();
          resolve(v);
        }
      });
    });
  }

  /** The bot's typing indicator: on now, off after `ms` unless renewed (setIsTyping_ref.md: "a short server timer"). */
  botTyping(conv: Conversation, ms: number): void {
    const old = this.typingTimers.get(conv);
    if (old) clearTimeout(old);
    const wasTyping = conv.botTypingUntil > Date.now();
    conv.botTypingUntil = Date.now() + ms;
    const t = setTimeout(() => {
      this.typingTimers.delete(conv);
      conv.botTypingUntil = 0;
      this.changed(conv);
    }, ms);
    t.unref?.();
    this.typingTimers.set(conv, t);
    if (!wasTyping) this.changed(conv);
  }

  stopBotTyping(conv: Conversation): void {
    const old = this.typingTimers.get(conv);
    if (old) clearTimeout(old);
    this.typingTimers.delete(conv);
    conv.botTypingUntil = 0;
  }

  close(): void {
    for (const t of this.typingTimers.values()) clearTimeout(t);
    this.typingTimers.clear();
  }
}
