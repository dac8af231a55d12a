package dev.streamcast;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The packages of the main classes and the way their dependencies point (docs/design.md, Packages): a layer uses the
 * layers below it and never one above, {@code kafka} and {@code logging} serve every layer and use none of them
 * ({@code kafka} uses {@code logging}), and no two packages depend on each other, directly or through others. Read
 * from the compiled classes: a constant that the compiler copies into its user ({@code static final} of a primitive
 * or a String) is no dependency here.
 */
@Tag("unit")
class ArchitectureTest {

    /** The layers, top to bottom: each is a package of {@code dev.streamcast} with its sub-packages. */
    static final List<String> LAYERS = List.of("cli", "bench", "backtest", "ops", "service", "stream", "sensor",
            "input", "config", "wire", "keras", "model", "nn");
    /** Usable from any layer; {@code kafka} uses {@code logging} alone, {@code logging} nothing of Streamcast. */
    static final List<String> SHARED = List.of("kafka", "logging");

    private static final String BASE = "dev.streamcast";
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(BASE);

    /** A new package has a place in the order before it has classes, so that no class escapes the rules below. */
    @Test
    void everyMainClassIsInALayer() {
        String[] packages = Stream.concat(LAYERS.stream(), SHARED.stream()).map(p -> BASE + "." + p + "..")
                .toArray(String[]::new);
        classes().should().resideInAnyPackage(packages)
                .because("every package of " + BASE + " has a place in the layer order " + LAYERS + " or is one of "
                        + SHARED)
                .check(MAIN);
    }

    @Test
    void noClassDependsOnAHigherLayer() {
        layers().check(MAIN);
    }

    @Test
    void noPackageCycles() {
        slices().matching(BASE + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    /** The order as ArchUnit's layered architecture: each layer accessed only by those above it. */
    static LayeredArchitecture layers() {
        LayeredArchitecture architecture = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String layer : Stream.concat(LAYERS.stream(), SHARED.stream()).toList()) {
            architecture = architecture.layer(layer).definedBy(BASE + "." + layer + "..");
        }
        architecture = architecture.whereLayer(LAYERS.get(0)).mayNotBeAccessedByAnyLayer();
        for (int i = 1; i < LAYERS.size(); i++) {
            architecture = architecture.whereLayer(LAYERS.get(i))
                    .mayOnlyBeAccessedByLayers(LAYERS.subList(0, i).toArray(String[]::new));
        }
        return architecture
                .whereLayer("kafka").mayOnlyAccessLayers("logging")
                .whereLayer("logging").mayNotAccessAnyLayer();
    }
}
