/**
 * Off-chain payment channels (paper §3.4; docs/payment-channels.md): the party state machine that
 * exchanges signed states with the other party over a loopback TCP link and persists each before
 * acknowledging it, the append-only state log it recovers from, the on-chain client that opens,
 * closes, disputes, answers and contests, and the watcher that answers the other party's moves on
 * its own.
 */
package org.medledger.sdk.channel;
