package org.medledger.cli;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Help that describes the global options once, in {@code medledger --help}: a subcommand's
 * synopsis and option list leave out the options it inherits and end with one line naming the
 * global options it reads.
 */
final class GlobalOptionsHelp extends Help {
  /**
   * The global options the demo reads; it opens its own ledger and keystores and asks for no
   * password. The home is where its statistics chart goes by default.
   */
  private static final Set<String> DEMO_READS = Set.of("--home", "--json", "--lock-wait", "--verbose");

  GlobalOptionsHelp(CommandSpec spec, ColorScheme scheme) {
    super(spec, scheme);
  }

  private boolean shown(OptionSpec o) {
    return !o.inherited();
  }

  @Override
  protected Ansi.Text createDetailedSynopsisOptionsText(java.util.Collection<ArgSpec> done, List<OptionSpec> options,
      java.util.Comparator<OptionSpec> comparator, boolean clusterBooleanOptions) {
    return super.createDetailedSynopsisOptionsText(done, options.stream().filter(this::shown).toList(), comparator,
        clusterBooleanOptions);
  }

  @Override
  public String optionListExcludingGroups(List<OptionSpec> options, Layout layout, java.util.Comparator<OptionSpec> comparator,
      IParamLabelRenderer renderer) {
    List<OptionSpec> own = options.stream().filter(this::shown).toList();
    String list = super.optionListExcludingGroups(own, layout, comparator, renderer);
    List<OptionSpec> inherited = options.stream().filter(o -> !shown(o))
        .filter(o -> !(commandSpec().userObject() instanceof DemoCommand) || DEMO_READS.contains(o.longestName()))
        .toList();
    if (inherited.isEmpty()) {
      return list;
    }
    return list + "Global options (see 'medledger --help'): "
        + inherited.stream().map(OptionSpec::longestName).collect(Collectors.joining(", ")) + "\n";
  }
}
