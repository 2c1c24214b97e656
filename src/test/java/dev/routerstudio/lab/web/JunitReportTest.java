package dev.routerstudio.lab.web;

import dev.routerstudio.build.BuildStatus;
import dev.routerstudio.lab.CheckResult;
import dev.routerstudio.lab.CheckStatus;
import dev.routerstudio.lab.Lab;
import dev.routerstudio.lab.LabStatus;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestCase;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** verify's JUnit XML, with console text that is hostile to XML, read back by surefire's own parser. */
class JunitReportTest {

    static final String HOSTILE = "</system-out>]]><failure message=\"x\"/> & \u001b[31mred\u001b[0m \u0000nul \"q\" 'a' <b>";

    static List<ReportTestSuite> parse(String xml) throws Exception {
        return new TestSuiteXmlParser(new NullConsoleLogger())
                .parse(new InputStreamReader(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
    }

    @Test
    void eachCheckIsATestcaseAndHostileTranscriptsStayText() throws Exception {
        LabStatus status = new LabStatus("0123abcd", "7", "pppoe", Lab.State.RUNNING, null, Instant.now(), List.of(), List.of(
                new CheckResult("boot", "Boots", CheckStatus.PASSED, 1.5, 1.5, "passed", "Linux version " + HOSTILE),
                new CheckResult("wan-up-ppp", "PPP comes up", CheckStatus.FAILED, 60, 61.0, "expected /ppp0/; it printed: " + HOSTILE, HOSTILE),
                new CheckResult("port-forward", "Forward", CheckStatus.SKIPPED, 0, null, "the profile forwards no port", null)), "node-1");
        String xml = JunitReport.of(new Verifier.Result("my-router", 7, BuildStatus.SUCCEEDED, null, null, "0123abcd", status,
                LabRun.Verdict.FAILED, 99.5));
        List<ReportTestSuite> suites = parse(xml);
        assertThat(suites).hasSize(1);
        ReportTestSuite suite = suites.get(0);
        assertThat(suite.getNumberOfTests()).isEqualTo(3);
        assertThat(suite.getNumberOfFailures()).isEqualTo(1);
        assertThat(suite.getNumberOfSkipped()).isEqualTo(1);
        assertThat(suite.getNumberOfErrors()).isZero();
        assertThat(suite.getTestCases()).extracting(ReportTestCase::getName).containsExactly("boot", "wan-up-ppp", "port-forward");
        ReportTestCase wan = suite.getTestCases().get(1);
        // the hostile text came through as text: quotes, angle brackets and the CDATA end, minus what XML cannot hold
        assertThat(wan.getFailureMessage()).startsWith("expected /ppp0/; it printed: </system-out>]]><failure message=\"x\"/> & ")
                .doesNotContain("\u0000").contains("nul \"q\" 'a' <b>");
        assertThat(suite.getTestCases().get(0).getFailureMessage()).isNull();
        assertThat(xml).contains("<property name=\"evidence\" value=\"/api/v1/labs/0123abcd/evidence\"/>");
    }

    @Test
    void aFailedBuildIsOneErroredTestcaseWithTheLogTail() throws Exception {
        String xml = JunitReport.of(new Verifier.Result("my-router", 8, BuildStatus.FAILED, "resolve: no package nosuch",
                null, null, null, LabRun.Verdict.ERROR, 3));
        ReportTestSuite suite = parse(xml).get(0);
        assertThat(suite.getNumberOfTests()).isEqualTo(1);
        assertThat(suite.getNumberOfErrors()).isEqualTo(1);
        assertThat(suite.getTestCases().get(0).getName()).isEqualTo("build");
        assertThat(suite.getTestCases().get(0).getFailureMessage()).isEqualTo("build 8 failed: resolve: no package nosuch");
    }
}
