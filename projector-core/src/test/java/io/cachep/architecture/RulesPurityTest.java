package io.cachep.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Rules are pure: envelope in, mutations out. No Kafka, Lettuce or Jackson type may leak into them. */
class RulesPurityTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.cachep");

    @Test
    void rulesAndTheEnvelopeModelDependOnNoKafkaLettuceOrJackson() {
        noClasses().that().resideInAPackage("io.cachep.rules..")
                .or().haveFullyQualifiedName("io.cachep.envelope.EventEnvelope")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.apache.kafka..", "io.lettuce..", "com.fasterxml.jackson..", "io.netty..")
                .check(classes);
    }
}
