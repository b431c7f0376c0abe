package org.medledger.chaincode;

import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;

/**
 * Off-chain payment channels between two accounts (paper §3.4; docs/payment-channels.md §4, the
 * soundness in docs/protocol.md §9): both parties lock confidential deposits, exchange signed
 * states off chain, and settle on chain either cooperatively or unilaterally with a dispute window
 * measured in transaction time. No amount is ever written in plaintext, except what a party
 * reveals to prove that an answer cheated it.
 *
 * <p>This class is the contract's interface only: the function names, their arguments and
 * intents, as Fabric's router and the embedded ledger's {@link ContractDispatcher} see them
 * ({@code EntryCheck} lists the same signatures). Each function delegates to the package-private
 * class of its part: {@code ChannelOpen}, {@code ChannelDispute} (close, dispute, answer, contest,
 * touch), {@code ChannelSettlement} (cooperative close, settle) and {@code Channels} (queries).
 */
@Contract(name = "channels", info = @Info(title = "MedLedger payment channels", version = "0.1.0"))
public final class ChannelContract implements ContractInterface {
  /** Shortest and longest dispute window, in seconds of transaction time. */
  public static final long MIN_WINDOW_SECONDS = 1;
  public static final long MAX_WINDOW_SECONDS = 30L * 24 * 3600;
  /** Most states the proposer may have signed beyond its latest state signed by both. */
  public static final int MAX_DEPTH = 1024;

  // --------------------------------------------------------------------------------- open

  /**
   * Opens a channel from two signed requests, one per party, that name the same channel id,
   * parties, window and depth, each with its party's deposit. Both nonces are consumed.
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String open(Context ctx, String requestA, String requestB) {
    return ChannelOpen.open(ctx, requestA, requestB);
  }

  // ----------------------------------------------------------------------- cooperative close

  /** Closes on a final state whose close message both parties signed, paying out at once. */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String coopClose(Context ctx, String request) {
    return ChannelSettlement.coopClose(ctx, request);
  }

  // ------------------------------------------------------------------------------ touch

  /** Advances an open channel's time to this transaction's timestamp (docs/protocol.md §9.5). */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String touch(Context ctx, String request) {
    return ChannelDispute.touch(ctx, request);
  }

  // ------------------------------------------------------------------------ unilateral close

  /** Starts a unilateral close on a state signed by both (or state 0); the window starts now. */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String close(Context ctx, String request) {
    return ChannelDispute.close(ctx, request);
  }

  /** Supersedes the state being closed on with a later state signed by both, before the deadline. */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String dispute(Context ctx, String request) {
    return ChannelDispute.dispute(ctx, request);
  }

  /** The net payer of the state being closed on settles it with its bundle, before the deadline. */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String answer(Context ctx, String request) {
    return ChannelDispute.answer(ctx, request);
  }

  /** The other party shows that the answer does not pay what the signed state says. */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String contest(Context ctx, String request) {
    return ChannelDispute.contest(ctx, request);
  }

  /** After the deadline, settles the state being closed on; anyone on the Fabric channel may call it. */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String settle(Context ctx, String channelId) {
    return ChannelSettlement.settle(ctx, channelId);
  }

  // ---------------------------------------------------------------------------------- queries

  /** The channel record and both deposits (ciphertexts only). */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String getChannel(Context ctx, String channelId) {
    return Channels.getChannel(ctx, channelId);
  }

  /** One page of the ids of an account's channels. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String channelsOf(Context ctx, String accountId, String pageSize, String bookmark) {
    return Channels.channelsOf(ctx, accountId, pageSize, bookmark);
  }

  /** Fabric's contract router calls this for a function the contract lacks: the same code as the entry check. */
  @Override
  public void unknownTransaction(Context ctx) {
    throw Contracts.unknownFunction(ctx);
  }
}
