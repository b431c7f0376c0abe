/**
 * The payment-channel benchmark (docs/payment-channels.md §7): two parties in two JVMs on
 * loopback, each persisting every state before acknowledging it, measured for payments and
 * co-signed states per second and for the latency of a payment at a fixed number in flight.
 */
package org.medledger.bench.channel;
