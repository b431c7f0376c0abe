/**
 * Off-chain payment channels (paper §3.4; docs/payment-channels.md): two accounts lock confidential
 * deposits on chain, exchange states signed by both over a TCP link, and settle only the net result
 * on chain, cooperatively or unilaterally with a dispute window.
 *
 * <p>What an application uses:
 * <ul>
 *   <li>{@link org.medledger.sdk.channel.ChannelClient}: the on-chain side of one account (open,
 *       cooperative and unilateral close, dispute, answer, contest, settle) and
 *       {@link org.medledger.sdk.channel.ChannelClient#params} to derive the channel both parties
 *       know;</li>
 *   <li>{@link org.medledger.sdk.channel.ChannelParty}: one party of one channel, created with a new
 *       state log or restored from it; {@code pay}, {@code closeCooperatively},
 *       {@code stopAndSnapshot} (the state to submit on chain), and {@code connect} to dial the other
 *       party;</li>
 *   <li>{@link org.medledger.sdk.channel.ChannelServer}: listens on 127.0.0.1 for the other parties
 *       of this process's channels;</li>
 *   <li>{@link org.medledger.sdk.channel.ChannelWatcher}: follows the ledger's events and disputes,
 *       answers, contests, touches and settles by itself;</li>
 *   <li>the value types {@link org.medledger.sdk.channel.ChannelParams},
 *       {@link org.medledger.sdk.channel.ChannelState}, {@link org.medledger.sdk.channel.SignedState},
 *       {@link org.medledger.sdk.channel.CooperativeClose} and {@link org.medledger.sdk.channel.Side}.</li>
 * </ul>
 *
 * <p>The rest is package-private: the wire format and its strict decoding ({@code Wire}), the
 * authenticated link and the redialling dialer ({@code ChannelLink}, {@code ChannelDialer}), the
 * append-only state log with group commit ({@code StateLog}), the settlement bundle
 * ({@code Settlement}), B's rules for signing a proposal ({@code ProposalCheck}), and the helpers of a
 * party's engine thread: payments ({@code PaymentFlow}), resynchronisation ({@code StateSync}) and the
 * cooperative close ({@code CloseNegotiation}).
 *
 * <p>Threads: each {@code ChannelParty} runs one engine thread that owns all its mutable state; its
 * public methods post to it and are safe from any thread. Listener callbacks run on the engine thread
 * and must not block. A state is persisted (fdatasync) before this party acknowledges it.
 */
package org.medledger.sdk.channel;
