package dev.dilxc.daemon;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package design, pinned: each feature is a package, {@code process} (the one way to
 * run a child process) and {@code lxd} are the bottom every feature may use and which use
 * none, {@code web} and {@code system} are the top nothing else uses, the features form
 * no cycle, and the wire records shared with the client know nothing of either side. A
 * change that breaks one of these fails the build; if the design should change, change
 * the rule here with it.
 */
class ArchitectureTests {

	/** The daemon's feature packages, as {@code dev.dilxc.daemon.<feature>}. */
	private static final String[] FEATURES = { "backups", "cluster", "jobs", "leases", "lxd", "notifications",
			"process", "sandboxes", "schedules", "snapshots", "system", "web" };

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.dilxc");

	@Test
	void everyPackageOfTheDaemonIsAFeatureTheseRulesKnow() {
		Set<String> packages = new TreeSet<>();
		for (JavaClass type : CLASSES) {
			String name = type.getPackageName();
			if (name.startsWith("dev.dilxc.daemon.")) {
				packages.add(name.substring("dev.dilxc.daemon.".length()).split("\\.")[0]);
			}
		}
		assertThat(packages).as("a new feature package belongs in FEATURES, under these rules")
			.containsExactlyInAnyOrder(FEATURES);
	}

	@Test
	void featuresFormNoDependencyCycle() {
		slices().matching("dev.dilxc.daemon.(*)..").should().beFreeOfCycles().check(CLASSES);
	}

	@Test
	void lxdUsesNoOtherFeature() {
		noClasses().that()
			.resideInAPackage("dev.dilxc.daemon.lxd..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(featuresExcept("lxd", "process"))
			.because("lxd is the one port to LXD every feature builds on")
			.check(CLASSES);
	}

	@Test
	void theProcessRunnerUsesNoFeature() {
		noClasses().that()
			.resideInAPackage("dev.dilxc.daemon.process..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(featuresExcept("process"))
			.because("every feature runs its child processes through it")
			.check(CLASSES);
	}

	@Test
	void childProcessesAreStartedOnlyByTheProcessRunner() {
		noClasses().that()
			.resideOutsideOfPackage("dev.dilxc.daemon.process..")
			.and()
			.resideInAPackage("dev.dilxc.daemon..")
			.should()
			.dependOnClassesThat()
			.haveFullyQualifiedName(ProcessBuilder.class.getName())
			.orShould()
			.dependOnClassesThat()
			.haveFullyQualifiedName("org.zeroturnaround.exec.ProcessExecutor")
			.orShould()
			.callMethod(Runtime.class, "exec", String.class)
			.because("its one deadline covers stdin, output and exit, and it kills a hung process with its children")
			.check(CLASSES);
	}

	@Test
	void noFeatureUsesTheWebOrSystemPackages() {
		noClasses().that()
			.resideInAnyPackage(featuresExcept("web", "system"))
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.dilxc.daemon.web..", "dev.dilxc.daemon.system..")
			.because("the pages and the daemon's own health and paths sit on top of the features, not under them")
			.check(CLASSES);
	}

	@Test
	void wireRecordsKnowNothingOfTheDaemonOrTheClient() {
		noClasses().that()
			.resideInAPackage("dev.dilxc.api..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.dilxc.daemon..", "dev.dilxc.client..")
			.because("the client and the daemon share these records and nothing else")
			.check(CLASSES);
	}

	@Test
	void featuresDoNotUseTheApplicationClass() {
		noClasses().that()
			.resideInAnyPackage(featuresExcept())
			.should()
			.dependOnClassesThat()
			.haveFullyQualifiedName(DaemonApplication.class.getName())
			.check(CLASSES);
	}

	private static String[] featuresExcept(String... excluded) {
		List<String> skip = List.of(excluded);
		return Arrays.stream(FEATURES)
			.filter((feature) -> !skip.contains(feature))
			.map((feature) -> "dev.dilxc.daemon." + feature + "..")
			.toArray(String[]::new);
	}

}
