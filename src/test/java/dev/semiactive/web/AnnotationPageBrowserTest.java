package dev.semiactive.web;

import dev.semiactive.store.RegionLabel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import static dev.semiactive.web.TestProject.R0;
import static dev.semiactive.web.TestProject.R1;
import static dev.semiactive.web.TestProject.R3;
import static dev.semiactive.web.TestProject.TRI;
import static dev.semiactive.web.TestProject.W;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The annotation page in headless Chromium (Debian's chromium + chromium-driver, explicit paths: no
 * driver or browser is ever downloaded). An annotator labels one region with a class key, one with brush
 * strokes (and an undone stroke) plus a class key for the rest, and one with a click on the palette; the
 * store must then hold exactly those pixels, and leaving the page must release the region it held. Skipped
 * where Chromium is not installed.
 *
 * <p>Writes a screenshot to target/e2e/annotate.png; with {@code -Dsemiactive.screenshot=docs/annotate.png}
 * also there (how the README picture is made).
 */
class AnnotationPageBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsChromium() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
            "browser test skipped: install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
    }

    @Test
    void annotatorLabelsRegionsByKeyByBrushAndByClick() throws IOException {
        try (TestProject p = new TestProject(dir)) {
            AnnotationServer server = p.server().build().start();
            WebDriver d = chromium(dir.resolve("chromium-profile"));
            try {
                WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(15));
                d.get("http://127.0.0.1:" + server.port() + "/?as=tester");
                awaitRegion(wait, d, R0);
                assertThat(d.findElements(By.cssSelector("#palette li"))).hasSize(4);
                assertThat(d.findElement(By.id("project-name")).getText()).isEqualTo("street-test");

                // 1. A whole region with one key: "2" is the second class (road).
                new Actions(d).sendKeys("2").perform();
                awaitRegion(wait, d, R1);

                // 2. Brush strokes: Shift+3 picks "tree" for the brush, "[" twice shrinks it to one pixel.
                new Actions(d).keyDown(Keys.SHIFT).sendKeys("3").keyUp(Keys.SHIFT).sendKeys("[[").perform();
                assertThat(d.findElement(By.id("brush-name")).getText()).isEqualTo("tree");
                assertThat(d.findElement(By.id("brush-size-text")).getText()).isEqualTo("1");
                stroke(d, 18, 3, 27, 3);
                stroke(d, 18, 4, 27, 4);
                stroke(d, 20, 10, 24, 10);
                new Actions(d).sendKeys("z").perform();    // undo the last stroke
                hover(d, 27, 6);
                screenshot(d);
                // "1" gives the first class (sky) to every pixel not painted, and saves.
                new Actions(d).sendKeys("1").perform();
                awaitRegion(wait, d, TRI);

                // 3. A whole region with one click on the palette.
                d.findElement(By.cssSelector("#palette li[data-class='3'] .name")).click();
                awaitRegion(wait, d, R3);
                wait.until(x -> x.findElement(By.id("progress-text")).getText().contains("3/4 labelled"));
                assertThat(p.store.queryOf(R3).orElseThrow().leaseOwner()).isEqualTo("tester");
                // Leaving the page (closing the tab) hands the region back at once, not when the lease lapses.
                d.get("about:blank");
                wait.until(x -> p.store.queryOf(R3).orElseThrow().leaseOwner() == null);
            } finally {
                d.quit();
                server.stop();
            }

            RegionLabel r0 = p.store.label(R0).orElseThrow();
            assertThat(r0.labelledBy()).isEqualTo("tester");
            assertThat(r0.pixels()).containsExactly(TestProject.cell(0, 0));
            assertThat(r0.labels()).containsOnly(1);

            RegionLabel r1 = p.store.label(R1).orElseThrow();
            assertThat(r1.pixels()).containsExactly(TestProject.cell(0, 1));
            for (int i = 0; i < r1.pixels().length; i++) {
                int x = r1.pixels()[i] % W, y = r1.pixels()[i] / W;
                boolean stroked = (y == 3 || y == 4) && x >= 18 && x <= 27;
                assertThat(r1.labels()[i]).as("pixel (%d,%d)", x, y).isEqualTo(stroked ? 2 : 0);
            }

            RegionLabel tri = p.store.label(TRI).orElseThrow();
            assertThat(tri.pixels()).hasSize(p.store.region(TRI).orElseThrow().pixelCount());
            assertThat(tri.labels()).containsOnly(3);

            assertThat(p.store.labelledRegionIds()).containsExactlyInAnyOrder(R0, R1, TRI);
            assertThat(p.store.labels(0)).extracting(RegionLabel::labelledBy).containsOnly("tester");
        }
    }

    private static WebDriver chromium(Path profile) {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toString());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-default-apps", "--disable-extensions", "--force-device-scale-factor=1",
            "--window-size=1280,800", "--user-data-dir=" + profile.toAbsolutePath());
        // The driver is named explicitly (service + system property) and surefire sets SE_OFFLINE=true:
        // Selenium Manager never runs, so nothing is downloaded.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, o);
    }

    private static void awaitRegion(WebDriverWait wait, WebDriver d, String regionId) {
        wait.until(x -> {
            var body = x.findElement(By.tagName("body"));
            return regionId.equals(body.getAttribute("data-region")) && "true".equals(body.getAttribute("data-ready"));
        });
    }

    /** Where the centre of image pixel (x, y) is on screen, from the page's own view transform. */
    @SuppressWarnings("unchecked")
    private static int[] screen(WebDriver d, int x, int y) {
        Map<String, Number> pt = (Map<String, Number>) ((JavascriptExecutor) d)
            .executeScript("return window.semiactive.clientPoint(arguments[0], arguments[1]);", x, y);
        return new int[]{(int) Math.round(pt.get("x").doubleValue()), (int) Math.round(pt.get("y").doubleValue())};
    }

    private static void stroke(WebDriver d, int x0, int y0, int x1, int y1) {
        int[] a = screen(d, x0, y0), b = screen(d, x1, y1);
        new Actions(d).moveToLocation(a[0], a[1]).clickAndHold().moveToLocation(b[0], b[1]).release().perform();
    }

    private static void hover(WebDriver d, int x, int y) {
        int[] a = screen(d, x, y);
        new Actions(d).moveToLocation(a[0], a[1]).perform();
    }

    private static void screenshot(WebDriver d) throws IOException {
        Path shot = ((TakesScreenshot) d).getScreenshotAs(OutputType.FILE).toPath();
        Path out = Path.of("target", "e2e", "annotate.png");
        Files.createDirectories(out.getParent());
        Files.copy(shot, out, StandardCopyOption.REPLACE_EXISTING);
        String docs = System.getProperty("semiactive.screenshot");
        if (docs != null && !docs.isBlank()) Files.copy(shot, Path.of(docs), StandardCopyOption.REPLACE_EXISTING);
    }
}
