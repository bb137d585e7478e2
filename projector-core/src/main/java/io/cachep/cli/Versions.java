package io.cachep.cli;

import picocli.CommandLine;

/** {@code --version}: the version Maven wrote into the jar's manifest. */
public final class Versions implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Versions.class.getPackage().getImplementationVersion();
        return new String[] {"cachep " + (version == null ? "(development build)" : version)};
    }
}
