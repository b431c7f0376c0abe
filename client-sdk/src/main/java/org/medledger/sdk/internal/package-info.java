/**
 * Not API: the request layer the SDK's clients share ({@link org.medledger.sdk.internal.Requests})
 * and their builders' common part ({@link org.medledger.sdk.internal.ClientBuilder}).
 * It is public only because {@code org.medledger.sdk.channel.ChannelClient} lives in another
 * package than {@code AccountClient} and {@code RecordClient}; applications must not use it, and
 * it may change in any release.
 */
package org.medledger.sdk.internal;
