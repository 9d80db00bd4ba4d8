package org.roundtable;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package structure (docs/architecture.md, "Packages"): the foundation packages, which every feature uses, depend
 * on no feature and on each other without a cycle. New packages are features unless listed in {@link #FOUNDATION}.
 */
class ArchitectureTest {

    /** Packages every feature may use; they use no feature. */
    static final String[] FOUNDATION = {"org.roundtable.db..", "org.roundtable.problem..", "org.roundtable.text..",
            "org.roundtable.mail..", "org.roundtable.security..", "org.roundtable.anonymity.."};

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
}
