package dev.streamcast.ops;

import static dev.streamcast.testing.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamcast.service.StreamcastService;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium against a real service fed with live readings, forecasting
 * {@value #HORIZON} readings ahead: the sensor list, the search, and charts with data points render, with no
 * internet; the forecast chart draws the interval band, the anomaly marks and the horizon's line and band. Leaves a
 * screenshot in target/dashboard.png (docs/dashboard.png is a copy of it).
 * Skipped when Debian's chromium or chromium-driver is not installed.
 */
@Tag("browser")
class DashboardBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** A sensor id longer than the list, the title or any panel is wide: shown ellipsised, whole on hover. */
    static final String LONG_SENSOR = "warehouse-7-cold-storage-freezer-temperature-probe-north-east-corner-shelf-12";
    static final List<String> SENSORS = List.of("boiler-1", "boiler-2", "pump-north", "pump-south", "room-101",
            "room-102", LONG_SENSOR);
    static final String WIDE_SENSOR = "room-102";
    /** A four-digit reading with two decimals, as the wide sensor's are: "1,008.99", never "1,009". */
    static final Pattern FOUR_DIGITS_TWO_PLACES = Pattern.compile("\\d,\\d{3}\\.\\d{2}");
    /** The window widths the page must fit without a clipped label or button. */
    static final List<Integer> WIDTHS = List.of(1280, 1920);
    static final int HORIZON = 6;

    @TempDir
    Path directory;

    private OpsFixture fixture;
    private StreamcastService service;
    private OpsServer server;
    private Thread feeder;
    private final AtomicBoolean feeding = new AtomicBoolean(true);
    private WebDriver browser;

    @BeforeEach
    void startServiceServerAndLiveReadings() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " (apt-get install chromium)");
        assumeTrue(Files.isExecutable(CHROMEDRIVER), "no " + CHROMEDRIVER + " (apt-get install chromium-driver)");
        fixture = new OpsFixture(directory);
        // Retrains often, so the model timeline has accepted and rejected runs to show.
        service = OpsFixture.startedService(fixture.config(Map.of("retrain.min.samples", "40",
                "retrain.every.samples", "60", "retrain.epochs", "3", "forecast.horizon", Integer.toString(HORIZON))));
        server = OpsServer.start(service);
        await("Kafka Streams running", Duration.ofSeconds(60)).until(service::isRunning);
        feeder = new Thread(this::feedReadings, "dashboard-test-readings");
        feeder.start();
    }

    /**
     * Readings every 100 ms per sensor, a minute apart in event time: waves at different levels, a spike on the
     * wide sensor every 50 readings (an anomaly to mark), and a few bad ones.
     */
    private void feedReadings() {
        int t = 0;
        while (feeding.get()) {
            for (int s = 0; s < SENSORS.size(); s++) {
                // room-102 reads about 1,012 (a barometer in hPa): its axis labels are the widest
                double level = SENSORS.get(s).equals(WIDE_SENSOR) ? 1010 : 20 + 10 * s;
                double value = level + 3 * Math.sin((t + 5 * s) / 6.0) + 0.4 * Math.sin(t * 1.7 + s);
                if (SENSORS.get(s).equals(WIDE_SENSOR) && t % 50 == 49) {
                    value += 8;
                }
                fixture.produce(SENSORS.get(s), t, Math.round(value * 100) / 100.0);
            }
            if (t % 15 == 7) {
                fixture.produceRaw("boiler-1", "{\"value\": \"hot\"}");
            }
            if (t % 25 == 3) {
                fixture.produceRaw("pump-north", "not json");
            }
            fixture.flush();
            t++;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (browser != null) {
            browser.quit();
        }
        feeding.set(false);
        if (feeder != null) {
            feeder.join(5_000);
        }
        if (server != null) {
            server.close();
        }
        if (service != null) {
            service.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private WebDriver openBrowser() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-dev-shm-usage", "--window-size=1440,1150",
                "--user-data-dir=" + Files.createDirectory(directory.resolve("chromium-profile")));
        ChromeDriverService driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(driverService, options);
    }

    /**
     * Clicks the sensor's entry in the list. The page redraws the list as its data refreshes, so an entry found a
     * moment before may be gone by the click: it is found again until a click lands ({@code wait} retries on a
     * stale element).
     */
    private void chooseSensor(WebDriverWait wait, String id) {
        wait.until(b -> {
            b.findElement(By.cssSelector("#sensor-list li[data-id='" + id + "']")).click();
            return true;
        });
    }

    private int points(String chart) {
        String value = browser.findElement(By.id(chart)).getDomAttribute("data-points");
        return value == null ? 0 : Integer.parseInt(value);
    }

    /**
     * The plot starts right of the y axis (uPlot's .u-over is offset by the axis width); the longest label drawn,
     * measured in the axis font, must fit in that width, or its first digits are cut off.
     */
    private void assertYAxisFitsItsLabels(String chart) {
        Object fits = ((ChromeDriver) browser).executeScript(
                "const c = document.getElementById(arguments[0]);"
                + "const labels = JSON.parse(c.dataset.yLabels || '[]');"
                + "const ctx = document.createElement('canvas').getContext('2d');"
                + "ctx.font = '12px system-ui, -apple-system, \"Segoe UI\", Roboto, \"Helvetica Neue\", Arial, "
                + "sans-serif';"
                + "const widest = Math.max(...labels.map((l) => ctx.measureText(l).width));"
                + "const axis = parseFloat(c.querySelector('.u-over').style.left);"
                + "return JSON.stringify({labels, widest, axis, fits: labels.length > 0 && axis >= widest + 10});",
                chart);
        assertTrue(String.valueOf(fits).contains("\"fits\":true"), chart + ": " + fits);
    }

    /**
     * The forecast chart's canvas pixels around the points it says it drew (data-probes): a 5x5 box inside the
     * horizon's band and one inside the past interval band, a 3x3 box at each anomaly mark's centre, as RGBA values.
     */
    private JsonNode drawnPixels(String chart) throws Exception {
        Object drawn = ((ChromeDriver) browser).executeScript(
                "const c = document.getElementById(arguments[0]);"
                + "const probes = JSON.parse(c.dataset.probes || '{}');"
                + "const ctx = c.querySelector('canvas').getContext('2d');"
                + "const box = (p, r) => p ? Array.from(ctx.getImageData(Math.round(p.x) - r, Math.round(p.y) - r,"
                + "  2 * r + 1, 2 * r + 1).data) : [];"
                + "return JSON.stringify({probes, horizon: box(probes.horizon, 2), band: box(probes.band, 2),"
                + "  anomalies: (probes.anomalies || []).map((p) => box(p, 1))});",
                chart);
        return new ObjectMapper().readTree(String.valueOf(drawn));
    }

    /** How many of the RGBA pixels pass the test. */
    private static int count(JsonNode rgba, Predicate<int[]> test) {
        int n = 0;
        for (int i = 0; i + 3 < rgba.size(); i += 4) {
            int[] pixel = {rgba.get(i).asInt(), rgba.get(i + 1).asInt(), rgba.get(i + 2).asInt(),
                    rgba.get(i + 3).asInt()};
            n += test.test(pixel) ? 1 : 0;
        }
        return n;
    }

    // The horizon's band is violet (171,71,188), the past interval band orange (255,183,77), the anomaly marks red
    // (239,83,80); the bands are translucent on a transparent canvas, over grid lines here and there.
    private static final Predicate<int[]> VIOLET = p -> p[3] > 0 && p[2] > p[1] + 20 && p[0] > p[1];
    private static final Predicate<int[]> ORANGE = p -> p[3] > 0 && p[0] > p[2] + 40 && p[1] > p[2];
    private static final Predicate<int[]> RED = p -> p[3] > 200 && p[0] > 150 && p[1] < p[0] / 2 && p[2] < p[0] / 2;

    /** The interval band, the anomaly marks and the horizon (line and band, beyond the last reading) are drawn. */
    private void assertBandAnomaliesAndHorizonAreDrawn(WebDriverWait wait) throws Exception {
        wait.until(b -> String.valueOf(HORIZON).equals(b.findElement(By.id("forecast-chart"))
                .getDomAttribute("data-horizon-steps"))
                && Integer.parseInt(String.valueOf(b.findElement(By.id("forecast-chart"))
                .getDomAttribute("data-anomalies"))) >= 1);
        assertTrue(browser.findElement(By.cssSelector("#forecast-chart .u-legend")).getText().contains("horizon"));
        assertTrue(browser.findElement(By.id("fact-horizon")).getText().startsWith(HORIZON + " steps, to "),
                browser.findElement(By.id("fact-horizon")).getText());
        JsonNode drawn = drawnPixels("forecast-chart");
        JsonNode probes = drawn.get("probes");
        assertTrue(probes.get("horizon").get("gap").asDouble() >= 4, "the horizon's band is a few pixels wide: "
                + probes);
        assertTrue(probes.get("band").get("gap").asDouble() >= 4, "the past band has room between its lines: "
                + probes);
        double horizonX = probes.get("horizon").get("x").asDouble();
        assertTrue(horizonX > probes.get("band").get("x").asDouble(), "the horizon lies beyond the past: " + probes);
        assertTrue(count(drawn.get("horizon"), VIOLET) >= 15, "inside the horizon's band: " + drawn.get("horizon"));
        assertEquals(0, count(drawn.get("horizon"), ORANGE), "the horizon's band is not the past one's colour");
        assertTrue(count(drawn.get("band"), ORANGE) >= 15, "inside the interval band: " + drawn.get("band"));
        assertEquals(0, count(drawn.get("band"), VIOLET), "the past band is not the horizon's colour");
        for (JsonNode mark : drawn.get("anomalies")) {
            assertTrue(count(mark, RED) >= 5, "an anomaly mark: " + mark);
        }
    }

    /**
     * Nothing is clipped at the window's width: every heading, label, figure and button lies inside its panel and the
     * window and shows its whole text, except what is ellipsised on purpose (a sensor's or model's id), which carries
     * its whole text in its title; every chart's time labels lie inside the chart and apart from each other.
     */
    private void assertNothingClipped(int width) {
        Object found = ((ChromeDriver) browser).executeScript(
                "const problems = [];"
                + "const box = (e) => e.getBoundingClientRect();"
                + "const visible = (e) => box(e).width > 0 && box(e).height > 0;"
                + "const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')"
                + "  + ' \"' + e.textContent.trim().slice(0, 40) + '\"';"
                + "for (const e of document.querySelectorAll('button, h2, h3, dt, dd, th, td, label, .pill, .brand,"
                + "    .sensor-list .id, .sensor-list .value, #page-label, .bars li span')) {"
                + "  if (!visible(e)) continue;"
                + "  const r = box(e);"
                + "  const holder = e.closest('.panel, .topbar');"
                + "  const h = holder ? box(holder) : { left: 0, right: window.innerWidth };"
                + "  if (r.left < h.left - 0.5 || r.right > h.right + 0.5 || r.right > window.innerWidth + 0.5) {"
                + "    problems.push(name(e) + ' sticks out of its panel: ' + r.left + '..' + r.right"
                + "      + ' in ' + h.left + '..' + h.right);"
                + "  }"
                + "  const ellipsised = getComputedStyle(e).textOverflow === 'ellipsis';"
                + "  if (e.scrollWidth > e.clientWidth + 1) {"
                + "    if (!ellipsised) problems.push(name(e) + ' is cut: ' + e.scrollWidth + ' > ' + e.clientWidth);"
                + "    else if ((e.title || e.closest('[title]')?.title) !== e.textContent.trim())"
                + "      problems.push(name(e) + ' is ellipsised without its whole text in a title');"
                + "  }"
                + "}"
                + "const ctx = document.createElement('canvas').getContext('2d');"
                + "ctx.font = '12px system-ui, -apple-system, \"Segoe UI\", Roboto, \"Helvetica Neue\", Arial,"
                + "  sans-serif';"
                + "for (const c of document.querySelectorAll('.chart')) {"
                + "  const labels = JSON.parse(c.dataset.xLabels || '[]');"
                + "  const w = c.querySelector('canvas').getBoundingClientRect().width;"
                + "  let right = -Infinity;"
                + "  for (const l of labels) {"
                + "    const half = ctx.measureText(l.text).width / 2;"
                + "    if (l.x - half < 0 || l.x + half > w) {"
                + "      problems.push(c.id + ': time label ' + l.text + ' cut at the edge');"
                + "    }"
                + "    if (l.x - half < right + 2) {"
                + "      problems.push(c.id + ': time label ' + l.text + ' overlaps the one before');"
                + "    }"
                + "    right = l.x + half;"
                + "  }"
                + "  if (labels.length === 0) problems.push(c.id + ': no time labels drawn');"
                + "}"
                + "return problems;");
        assertEquals(List.of(), found, "at " + width + " px wide");
    }

    @Test
    void showsTheSensorListLiveChartsModelTimelineAndRefusedReadings() throws Exception {
        browser = openBrowser();
        browser.get("http://127.0.0.1:" + server.port() + "/");
        // The page redraws its list and charts as its data refreshes: an element found a moment before a check may be
        // gone by the check, so every wait looks again rather than fail on a stale element.
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(200));
        wait.ignoring(StaleElementReferenceException.class);

        wait.until(b -> b.findElements(By.cssSelector("#sensor-list li.sensor")).size() == SENSORS.size());
        List<String> listed = browser.findElements(By.cssSelector("#sensor-list li.sensor")).stream()
                .map(e -> e.getDomAttribute("data-id")).toList();
        assertEquals(SENSORS, listed);

        // The highlighted sensor and the title agree from the moment one is highlighted.
        wait.until(b -> !b.findElements(By.cssSelector("#sensor-list li.sensor.selected")).isEmpty());
        assertEquals(browser.findElement(By.cssSelector("#sensor-list li.sensor.selected")).getDomAttribute("data-id"),
                browser.findElement(By.id("sensor-title")).getText(), "the title names the highlighted sensor");

        // The first sensor is shown: a chart drawn by uPlot on a canvas, with points of actual vs forecast.
        wait.until(b -> points("forecast-chart") >= 5 && points("error-chart") >= 5);
        assertEquals("boiler-1", browser.findElement(By.id("sensor-title")).getText());
        assertFalse(browser.findElements(By.cssSelector("#forecast-chart canvas")).isEmpty(), "a uPlot canvas");
        assertTrue(browser.findElement(By.cssSelector("#forecast-chart .u-legend")).getText().contains("forecast"));
        // The prediction interval: drawn as a band between its bounds, and given beside the next forecast.
        String legend = browser.findElement(By.cssSelector("#forecast-chart .u-legend")).getText();
        assertTrue(legend.contains("lower") && legend.contains("upper") && legend.contains("anomaly"), legend);
        assertTrue(browser.findElement(By.id("fact-interval")).getText().contains("…"),
                browser.findElement(By.id("fact-interval")).getText());
        assertTrue(browser.findElement(By.id("fact-model")).getText().contains("naive (no-model)")
                || browser.findElement(By.id("fact-model")).getText().contains("lstm"),
                "which forecaster serves the sensor, and why a naive one");

        // Choosing another sensor shows its chart.
        chooseSensor(wait, "pump-north");
        wait.until(b -> b.findElement(By.id("sensor-title")).getText().equals("pump-north")
                && points("forecast-chart") >= 5);

        // A sensor reading about 1,012: the y axis is wide enough for its longest label, drawn whole.
        chooseSensor(wait, WIDE_SENSOR);
        wait.until(b -> b.findElement(By.id("sensor-title")).getText().equals(WIDE_SENSOR)
                && points("forecast-chart") >= 5);
        wait.until(b -> String.valueOf(b.findElement(By.id("forecast-chart")).getDomAttribute("data-y-labels"))
                .contains("1,01"));
        assertYAxisFitsItsLabels("forecast-chart");

        // Its four-digit readings keep their two decimals: the last reading, the interval's bounds and the list.
        wait.until(b -> FOUR_DIGITS_TWO_PLACES.matcher(b.findElement(By.id("fact-last")).getText()).lookingAt());
        String interval = browser.findElement(By.id("fact-interval")).getText();
        assertTrue(interval.matches("\\d,\\d{3}\\.\\d{2} … \\d,\\d{3}\\.\\d{2}"), interval);
        assertTrue(FOUR_DIGITS_TWO_PLACES.matcher(browser.findElement(By.id("fact-next")).getText()).matches(),
                browser.findElement(By.id("fact-next")).getText());
        String listed102 = browser.findElement(By.cssSelector("#sensor-list li[data-id='" + WIDE_SENSOR + "'] .value"))
                .getText();
        assertTrue(FOUR_DIGITS_TWO_PLACES.matcher(listed102).lookingAt(), listed102);

        // Searching by id prefix narrows the list.
        WebElement search = browser.findElement(By.id("sensor-search"));
        search.sendKeys("room");
        wait.until(b -> b.findElements(By.cssSelector("#sensor-list li.sensor")).size() == 2);
        search.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        wait.until(b -> b.findElements(By.cssSelector("#sensor-list li.sensor")).size() == SENSORS.size());

        // Throughput, refused readings by reason, and the model timeline with at least one retraining.
        wait.until(b -> points("rate-chart") >= 3);
        wait.until(b -> !b.findElement(By.cssSelector("#refused-list li[data-reason='not-a-number'] .count")).getText()
                .equals("0"));
        wait.until(b -> !b.findElements(By.cssSelector("#run-list .badge")).isEmpty() && points("timeline-chart") >= 1);
        assertTrue(browser.findElement(By.cssSelector("#model-rows tr[data-model='default']")).getText()
                .contains("default"));
        // The throughput chart shows the last minutes in real time, the timeline hours around its runs, not years.
        double rateSpan = Double.parseDouble(browser.findElement(By.id("rate-chart")).getDomAttribute("data-x-span"));
        assertTrue(rateSpan >= 60 && rateSpan <= 600, "throughput chart spans " + rateSpan + " s");
        double timelineSpan = Double.parseDouble(browser.findElement(By.id("timeline-chart"))
                .getDomAttribute("data-x-span"));
        assertTrue(timelineSpan >= 60 && timelineSpan <= 2 * 86_400, "timeline spans " + timelineSpan + " s");
        assertEquals("ready", browser.findElement(By.id("status")).getText());
        assertFalse(browser.findElement(By.id("footer-status")).getText().contains("error"),
                browser.findElement(By.id("footer-status")).getText());

        // The chart of the sensor shown: its interval band, its anomalies and the horizon ahead.
        assertEquals(WIDE_SENSOR, browser.findElement(By.id("sensor-title")).getText());
        assertBandAnomaliesAndHorizonAreDrawn(wait);

        File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "dashboard.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(target) > 10_000, "a screenshot with content");

        // A long sensor id: ellipsised in the list and the title, whole in their titles (shown on hover).
        chooseSensor(wait, LONG_SENSOR);
        wait.until(b -> LONG_SENSOR.equals(b.findElement(By.id("sensor-title")).getDomProperty("title"))
                && points("forecast-chart") >= 5);
        // Read in one script: the list is redrawn at every poll, and an element found before may be gone after.
        wait.until(b -> Boolean.TRUE.equals(((ChromeDriver) b).executeScript(
                "const e = document.querySelector(\"#sensor-list li[data-id='\" + arguments[0] + \"'] .id\");"
                + "return e !== null && e.title === arguments[0] && e.scrollWidth > e.clientWidth;", LONG_SENSOR)));

        // At the widths of common screens, with the long id shown: nothing clipped, no time labels overlapping.
        for (int width : WIDTHS) {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(width, 1150));
            wait.until(b -> ((Number) ((ChromeDriver) b).executeScript("return window.innerWidth")).intValue()
                    == width);
            // The charts follow the resize; the next poll redraws everything at the new width.
            Thread.sleep(2_500);
            wait.until(b -> points("forecast-chart") >= 5);
            assertNothingClipped(width);
        }
    }
}
