package org.medledger.embedded;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * {@code ledger.head}: the height of the ledger and the hash of its last block, written after each
 * block is durable in the log, so that a log cut short by more than the record being written is
 * seen as damaged rather than read as an older ledger. Two slots of {@value #SLOT} bytes, height
 * h going to slot h mod 2, each {@code height (8 bytes, big-endian) ‖ hash (32) ‖ SHA-256 of the
 * first 40 bytes}; a write torn by a crash spoils one slot, and the other still holds the height
 * before.
 */
final class LogHead {
  static final int SLOT = 8 + 32 + 32;

  /** Height h and the hash of block h−1 (the genesis hash for h = 0). */
  record Head(long height, byte[] hash) {}

  private LogHead() {}

  /** Creates the head file of an empty ledger; it must not exist. */
  static void create(Path file, byte[] genesis) throws IOException {
    byte[] both = new byte[2 * SLOT];
    System.arraycopy(slot(0, genesis), 0, both, 0, SLOT);
    DurableFiles.writeAtomically(file, both);
  }

  /** The head with the greatest height among the sound slots. */
  static Head read(Path file) throws LedgerLogException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new LedgerLogException(LedgerLogException.Code.CORRUPT, file, "the head file " + file
          + " is missing, so how far the block log reached cannot be checked");
    } catch (IOException e) {
      throw new LedgerLogException(LedgerLogException.Code.CORRUPT, file, "cannot read the head file " + file + ": " + e);
    }
    Head best = null;
    for (int s = 0; s + SLOT <= bytes.length && s < 2 * SLOT; s += SLOT) {
      byte[] slot = Arrays.copyOfRange(bytes, s, s + SLOT);
      ByteBuffer b = ByteBuffer.wrap(slot);
      long height = b.getLong();
      byte[] hash = Arrays.copyOfRange(slot, 8, 40);
      if (height >= 0 && MessageDigest.isEqual(Arrays.copyOfRange(slot, 40, SLOT), checksum(slot))
          && (height % 2) * SLOT == s && (best == null || height > best.height())) {
        best = new Head(height, hash);
      }
    }
    if (bytes.length != 2 * SLOT || best == null) {
      throw new LedgerLogException(LedgerLogException.Code.CORRUPT, file, "the head file " + file + " is damaged ("
          + bytes.length + " bytes, " + (best == null ? "no" : "a") + " sound slot)");
    }
    return best;
  }

  /** Records height {@code height} with the hash of its last block, and forces it to disk. */
  static void write(FileChannel ch, long height, byte[] hash) throws IOException {
    DurableFiles.writeFully(ch, ByteBuffer.wrap(slot(height, hash)), (height % 2) * SLOT);
    ch.force(true);
  }

  static FileChannel openForWriting(Path file) throws IOException {
    return FileChannel.open(file, READ, WRITE);
  }

  private static byte[] slot(long height, byte[] hash) {
    ByteBuffer b = ByteBuffer.allocate(SLOT);
    b.putLong(height).put(hash);
    b.put(checksum(b.array()));
    return b.array();
  }

  private static byte[] checksum(byte[] slot) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(slot, 0, 40);
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
