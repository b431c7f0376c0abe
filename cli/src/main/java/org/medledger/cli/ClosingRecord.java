package org.medledger.cli;

import com.google.gson.JsonObject;

/**
 * What a channel's closing record ({@code channels:getChannel}, {@code "closing"}) asks of one
 * party: the same test for {@code channel watch} and {@code channel serve --watch}.
 */
final class ClosingRecord {
  private ClosingRecord() {}

  /** The peer closed on a state older than {@code latestSeq}, the party's latest: to dispute. */
  static boolean stale(JsonObject closing, String me, long latestSeq) {
    return !closing.get("submittedBy").getAsString().equals(me) && closing.get("seq").getAsLong() < latestSeq;
  }

  /** The party pays on the closing state and has not answered it. */
  static boolean mustAnswer(JsonObject closing, String me) {
    return me.equals(closing.get("payer").getAsString()) && !closing.has("answer");
  }
}
