package org.roundtable;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package structure (docs/architecture.md, "Packages" and "Layers"): the foundation packages, which every feature
 * uses, depend on no feature; no package of {@code org.roundtable} takes part in a cycle; and the features sit in one
 * order, each using only the layers below it. A new package is in no layer until it is added to {@link #LAYERS}, and
 * {@link #shouldKeepTheFeaturesInTheirLayerOrder()} fails until it is.
 */
class ArchitectureTest {

    /** Packages every feature may use; they use no feature. */
    static final String[] FOUNDATION = {"org.roundtable.db..", "org.roundtable.problem..", "org.roundtable.text..",
            "org.roundtable.mail..", "org.roundtable.security..", "org.roundtable.anonymity..",
            "org.roundtable.ratelimit..", "org.roundtable.audit..", "org.roundtable.web.."};

    /**
     * The layers, lowest first; each may use the layers before it, and its own packages (without a cycle). Why this
     * order: docs/architecture.md, "Layers".
     */
    static final String[][] LAYERS = {
            FOUNDATION,
            {"org.roundtable.member.."},
            {"org.roundtable.follow..", "org.roundtable.notification.."},
            {"org.roundtable.thread.."},
            {"org.roundtable.channel.."},
            {"org.roundtable.cohort.."},
            {"org.roundtable.moderation.."},
            {"org.roundtable.profile.."},
            {"org.roundtable.digest..", "org.roundtable.search..", "org.roundtable.insight..", "org.roundtable.home..",
                    "org.roundtable.demo..", "org.roundtable.housekeeping.."}};

    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.roundtable");

    private static final DescribedPredicate<JavaClass> IN_FOUNDATION = JavaClass.Predicates.resideInAnyPackage(FOUNDATION);

    @Test
    void shouldKeepTheFoundationFreeOfFeatures() {
        noClasses().that().resideInAnyPackage(FOUNDATION)
                .should().dependOnClassesThat(DescribedPredicate.not(IN_FOUNDATION)
                        .and(JavaClass.Predicates.resideInAPackage("org.roundtable..")))
                .check(CLASSES);
    }

    @Test
    void shouldKeepTheFoundationFreeOfCycles() {
        slices().matching("org.roundtable.(*)..").should().beFreeOfCycles()
                .ignoreDependency(DescribedPredicate.not(IN_FOUNDATION), DescribedPredicate.alwaysTrue())
                .check(CLASSES);
    }

    @Test
    void shouldKeepEveryPackageFreeOfCycles() {
        slices().matching("org.roundtable.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void shouldKeepTheFeaturesInTheirLayerOrder() {
        com.tngtech.archunit.library.Architectures.LayeredArchitecture layers = layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .ensureAllClassesAreContainedInArchitecture();
        for (int i = 0; i < LAYERS.length; i++) {
            layers = layers.layer(name(i)).definedBy(LAYERS[i]);
        }
        for (int i = 1; i < LAYERS.length; i++) {
            String[] below = new String[i];
            for (int j = 0; j < i; j++) {
                below[j] = name(j);
            }
            layers = layers.whereLayer(name(i)).mayOnlyAccessLayers(below);
        }
        layers.whereLayer(name(0)).mayNotAccessAnyLayer().check(CLASSES);
    }

    private static String name(int layer) {
        return String.join(" ", LAYERS[layer]).replace("org.roundtable.", "").replace("..", "");
    }
}
