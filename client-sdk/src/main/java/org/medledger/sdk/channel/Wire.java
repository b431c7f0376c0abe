package org.medledger.sdk.channel;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages two parties exchange over their link (docs/payment-channels.md §3.3) and their
 * canonical encoding: a frame is u32 length ‖ payload, the payload a type byte and fixed-width
 * fields (u64 big-endian integers, 64-byte signatures, u16-length strings and u32-length byte
 * strings). Decoding is strict: exact lengths, no trailing bytes, bounded sizes.
 */
final class Wire {
  /** Largest frame accepted; a frame carrying a settlement bundle is about 3 KB. */
  public static final int MAX_FRAME = 1 << 20;
  static final int SIG = 64;
  static final int NONCE = 32;

  private Wire() {}

  /** A message between the two parties. */
  public sealed interface Message permits Hello, Auth, Sync, States, Propose, Accept, Refuse, Request, Reject,
      CloseProposal, CloseAccept, CloseRefuse {}

  /** First message each way: the channel, the sender's side and a fresh nonce. */
  public record Hello(String channelId, Side side, byte[] nonce) implements Message {}

  /** The sender's account signature over both nonces (docs/payment-channels.md §3.3). */
  public record Auth(byte[] signature) implements Message {}

  /** The sender's latest state signed by both. */
  public record Sync(long latestSeq) implements Message {}

  /** States signed by both that the receiver is missing, oldest first. */
  public record States(List<SignedState> states) implements Message {}

  /** A → B: the next state, signed by A, and which of B's payment requests it includes. */
  public record Propose(long seq, long balanceA, long balanceB, long[] requestIds, byte[] sigA) implements Message {}

  /** B → A: B's signature of the proposed state; B persisted the state before sending it. */
  public record Accept(long seq, byte[] sigB) implements Message {}

  /** B → A: the proposal is not a valid successor; the link closes after it. */
  public record Refuse(long seq, String reason) implements Message {}

  /** B → A: please include a payment of {@code amount} from B to A. */
  public record Request(long id, long amount) implements Message {}

  /** A → B: the request cannot be included (B's balance does not cover it). */
  public record Reject(long id, String reason) implements Message {}

  /**
   * Asks to close cooperatively on state {@code seq}: carries the proposer's settlement bundle and
   * close signature when it can sign first (it is the net payer, or nobody pays); both are empty
   * when the receiver is the net payer and must build the bundle.
   */
  public record CloseProposal(long seq, byte[] bundle, byte[] signature) implements Message {}

  /** The receiver's close signature, and its bundle when it is the net payer. */
  public record CloseAccept(long seq, byte[] bundle, byte[] signature) implements Message {}

  /** The receiver will not close on that state now (busy, another state, or a bundle that does not pay). */
  public record CloseRefuse(long seq, String reason) implements Message {}

  private static final byte HELLO = 1;
  private static final byte AUTH = 2;
  private static final byte SYNC = 3;
  private static final byte STATES = 4;
  private static final byte PROPOSE = 5;
  private static final byte ACCEPT = 6;
  private static final byte REFUSE = 7;
  private static final byte REQUEST = 8;
  private static final byte REJECT = 9;
  private static final byte CLOSE_PROPOSAL = 10;
  private static final byte CLOSE_ACCEPT = 11;
  private static final byte CLOSE_REFUSE = 12;

  public static byte[] encode(Message m) {
    Out o = new Out();
    if (m instanceof Hello h) {
      o.type(HELLO).str(h.channelId()).u8(h.side().ordinal()).fixed(h.nonce(), NONCE);
    } else if (m instanceof Auth a) {
      o.type(AUTH).fixed(a.signature(), SIG);
    } else if (m instanceof Sync s) {
      o.type(SYNC).u64(s.latestSeq());
    } else if (m instanceof States s) {
      o.type(STATES).u32(s.states().size());
      for (SignedState x : s.states()) {
        o.u64(x.seq()).u64(x.state().balanceA()).u64(x.state().balanceB()).fixed(x.sigA(), SIG).fixed(x.sigB(), SIG);
      }
    } else if (m instanceof Propose p) {
      o.type(PROPOSE).u64(p.seq()).u64(p.balanceA()).u64(p.balanceB()).u32(p.requestIds().length);
      for (long id : p.requestIds()) {
        o.u64(id);
      }
      o.fixed(p.sigA(), SIG);
    } else if (m instanceof Accept a) {
      o.type(ACCEPT).u64(a.seq()).fixed(a.sigB(), SIG);
    } else if (m instanceof Refuse r) {
      o.type(REFUSE).u64(r.seq()).str(r.reason());
    } else if (m instanceof Request r) {
      o.type(REQUEST).u64(r.id()).u64(r.amount());
    } else if (m instanceof Reject r) {
      o.type(REJECT).u64(r.id()).str(r.reason());
    } else if (m instanceof CloseProposal c) {
      o.type(CLOSE_PROPOSAL).u64(c.seq()).bytes(c.bundle()).bytes(c.signature());
    } else if (m instanceof CloseAccept c) {
      o.type(CLOSE_ACCEPT).u64(c.seq()).bytes(c.bundle()).bytes(c.signature());
    } else if (m instanceof CloseRefuse c) {
      o.type(CLOSE_REFUSE).u64(c.seq()).str(c.reason());
    }
    return o.out.toByteArray();
  }

  /** Decodes one payload; throws {@link IOException} for anything not canonical. */
  public static Message decode(byte[] payload) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(payload);
    try {
      byte type = b.get();
      Message m = switch (type) {
        case HELLO -> new Hello(str(b), side(b), fixed(b, NONCE));
        case AUTH -> new Auth(fixed(b, SIG));
        case SYNC -> new Sync(u64(b));
        case STATES -> {
          int n = count(b, 8 * 3 + 2 * SIG);
          List<SignedState> xs = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            xs.add(new SignedState(new ChannelState(u64(b), u64(b), u64(b)), fixed(b, SIG), fixed(b, SIG)));
          }
          yield new States(List.copyOf(xs));
        }
        case PROPOSE -> {
          long seq = u64(b);
          long ba = u64(b);
          long bb = u64(b);
          int n = count(b, 8);
          long[] ids = new long[n];
          for (int i = 0; i < n; i++) {
            ids[i] = b.getLong();
          }
          yield new Propose(seq, ba, bb, ids, fixed(b, SIG));
        }
        case ACCEPT -> new Accept(u64(b), fixed(b, SIG));
        case REFUSE -> new Refuse(u64(b), str(b));
        case REQUEST -> new Request(b.getLong(), u64(b));
        case REJECT -> new Reject(b.getLong(), str(b));
        case CLOSE_PROPOSAL -> new CloseProposal(u64(b), bytes(b), bytes(b));
        case CLOSE_ACCEPT -> new CloseAccept(u64(b), bytes(b), bytes(b));
        case CLOSE_REFUSE -> new CloseRefuse(u64(b), str(b));
        default -> throw new IOException("unknown message type " + type);
      };
      if (b.hasRemaining()) {
        throw new IOException("trailing bytes after message type " + type);
      }
      return m;
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new IOException("malformed message: " + e.getMessage(), e);
    }
  }

  /** Writes one frame (not flushed). */
  public static void writeFrame(OutputStream out, Message m) throws IOException {
    byte[] p = encode(m);
    out.write(ByteBuffer.allocate(4).putInt(p.length).array());
    out.write(p);
  }

  /** Reads one frame; {@link EOFException} at a clean end of stream. */
  public static Message readFrame(DataInputStream in) throws IOException {
    int len = in.readInt();
    if (len < 1 || len > MAX_FRAME) {
      throw new IOException("frame length " + len + " out of bounds");
    }
    byte[] p = new byte[len];
    in.readFully(p);
    return decode(p);
  }

  // ------------------------------------------------------------------------------ helpers

  private static long u64(ByteBuffer b) {
    long v = b.getLong();
    if (v < 0) {
      throw new IllegalArgumentException("negative integer");
    }
    return v;
  }

  private static int count(ByteBuffer b, int itemBytes) {
    int n = b.getInt();
    if (n < 0 || (long) n * itemBytes > b.remaining()) {
      throw new IllegalArgumentException("count out of bounds");
    }
    return n;
  }

  private static Side side(ByteBuffer b) {
    int s = b.get();
    if (s != 0 && s != 1) {
      throw new IllegalArgumentException("bad side");
    }
    return Side.values()[s];
  }

  private static byte[] fixed(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }

  private static String str(ByteBuffer b) {
    int n = b.getShort() & 0xFFFF;
    return new String(fixed(b, n), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(ByteBuffer b) {
    int n = b.getInt();
    if (n < 0 || n > b.remaining()) {
      throw new IllegalArgumentException("length out of bounds");
    }
    return fixed(b, n);
  }

  private static final class Out {
    final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

    Out type(byte t) {
      out.write(t);
      return this;
    }

    Out u8(int v) {
      out.write(v);
      return this;
    }

    Out u32(int v) {
      out.writeBytes(ByteBuffer.allocate(4).putInt(v).array());
      return this;
    }

    Out u64(long v) {
      out.writeBytes(ByteBuffer.allocate(8).putLong(v).array());
      return this;
    }

    Out fixed(byte[] b, int n) {
      if (b.length != n) {
        throw new IllegalArgumentException("expected " + n + " bytes, got " + b.length);
      }
      out.writeBytes(b);
      return this;
    }

    Out str(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      if (b.length > 0xFFFF) {
        throw new IllegalArgumentException("string too long");
      }
      out.write(b.length >>> 8);
      out.write(b.length);
      out.writeBytes(b);
      return this;
    }

    Out bytes(byte[] b) {
      return u32(b.length).fixed(b, b.length);
    }
  }
}
