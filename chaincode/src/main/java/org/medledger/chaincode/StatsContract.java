package org.medledger.chaincode;

import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.medledger.protocol.CanonicalJson;

/**
 * Encrypted statistics (docs/chaincode.md §11): buckets of contributions under the committee key,
 * folded in bounded batches once their month is over, opened once by a PUBLIC committee disclosure
 * ({@code committee:open} with target STATS_BUCKET) when they hold at least k contributions, and
 * their published results. Contributions are written by the money and records contracts.
 */
@Contract(name = "stats", info = @Info(title = "MedLedger encrypted statistics", version = "0.1.0"))
public final class StatsContract implements ContractInterface {

  /** A bucket: state (judged at this query's timestamp), counts, disclosure and result. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String getBucket(Context ctx, String bucketId) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    return CanonicalJson.toString(StatsBuckets.view(ledger, cfg, StatsBuckets.parse(bucketId)));
  }

  /** One page of buckets of {@code month} ("" for all), in id order. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String listBuckets(Context ctx, String month, String pageSize, String bookmark) {
    Ledger ledger = new Ledger(ctx);
    return StatsListing.list(ledger, ledger.config(), month, pageSize, bookmark);
  }

  /** Folds at most {@code maxBatch} (1..500) contributions of a closed bucket; anyone may call it. */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String fold(Context ctx, String bucketId, String maxBatch) {
    Ledger ledger = new Ledger(ctx);
    return StatsFold.fold(ledger, ledger.config(), bucketId, maxBatch);
  }

  /** Publishes an opened bucket's result from its disclosure's plaintext; anyone may call it. */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String publish(Context ctx, String bucketId) {
    Ledger ledger = new Ledger(ctx);
    return StatsFold.publish(ledger, ledger.config(), bucketId);
  }

  @Override
  public void unknownTransaction(Context ctx) {
    throw Contracts.unknownFunction(ctx);
  }
}
