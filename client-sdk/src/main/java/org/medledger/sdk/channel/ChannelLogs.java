package org.medledger.sdk.channel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A read-only look at a party's state log (docs/payment-channels.md §6) without starting the
 * party or unlocking its account: what a command line shows as a channel's status between runs.
 * The log is read, checked as at a restore, and neither truncated nor written.
 */
public final class ChannelLogs {
  private ChannelLogs() {}

  /**
   * What a state log holds.
   *
   * @param params the channel's parameters (with the secret salt key: the log is owner-only)
   * @param latest the latest state signed by both (the opening state if none)
   * @param closeSignedSeq the state this party signed a cooperative close on, or -1
   */
  public record Summary(ChannelParams params, SignedState latest, long closeSignedSeq) {
    /** The number of the state this party signed a cooperative close on, if it signed one. */
    public Optional<Long> closeSigned() {
      return closeSignedSeq < 0 ? Optional.empty() : Optional.of(closeSignedSeq);
    }
  }

  /**
   * Reads a state log.
   *
   * @param logFile the party's log
   * @return its parameters, latest state and close mark
   * @throws IOException if it cannot be read or is corrupt
   */
  public static Summary read(Path logFile) throws IOException {
    StateLog.Recovered r = StateLog.read(logFile);
    return new Summary(r.params(), r.latest(), r.closeSignedSeq());
  }
}
