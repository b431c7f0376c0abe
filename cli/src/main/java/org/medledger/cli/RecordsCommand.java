package org.medledger.cli;

import picocli.CommandLine.Command;

/**
 * {@code medledger records}: medical records, consent and the access trail (docs/records.md). Its
 * subcommands: {@link RecordsSetup}, writing ({@link RecordsWriting}), reading ({@link RecordsReading})
 * and consent ({@link RecordsConsent}); what they print of a record is {@link RecordViews}'.
 */
@Command(name = "records", mixinStandardHelpOptions = true,
    description = "Medical records: write, open, grant, share, revoke, read with consent, and the access trail.",
    subcommands = {RecordsSetup.class, RecordsWriting.Write.class, RecordsWriting.Correct.class,
        RecordsReading.ListRecords.class, RecordsReading.Open.class, RecordsConsent.Grant.class,
        RecordsConsent.Share.class, RecordsConsent.Revoke.class, RecordsConsent.Grants.class, RecordsReading.Read.class,
        RecordsReading.Trail.class})
final class RecordsCommand extends Base {
  @Override
  void execute() throws CliException {
    throw CliException.usage("missing subcommand; 'medledger records --help' lists them");
  }
}
