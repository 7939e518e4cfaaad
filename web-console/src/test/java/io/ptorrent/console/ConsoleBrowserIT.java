package io.ptorrent.console;

import io.ptorrent.plugin.testing.TestGrid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The console page in a real headless browser: Debian's {@code chromium} and {@code chromedriver}
 * ({@code apt-get install chromium chromium-driver}). Without them the test is skipped on a workstation
 * but fails under {@code CI=true}, so that CI cannot pass without having run it.
 */
class ConsoleBrowserIT {
    private static final int BASE_PORT = 49560;
    private static final int CONSOLE_PORT = BASE_PORT + 300;
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private TestGrid grid;
    private WebDriver browser;

    @BeforeEach
    void start(@TempDir Path profile) {
        requireChromium();
        grid = new TestGrid(BASE_PORT);
        grid.startHarbor("h1", false, c -> c.setHarborName("home").setConsolePort(CONSOLE_PORT));
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--user-data-dir=" + profile);
        // An explicit driver keeps Selenium Manager from trying to download one (these machines have no internet).
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (grid != null) {
            grid.close();
        }
    }

    @Test
    void thePageListsTheHarborAndItsContributorsAndSaysWhenTheApiIsGone() {
        grid.startContributor("alice", c -> c.setHarborName("home").setSharedCores(1));
        grid.startContributor("bob", c -> c.setHarborName("home").setSharedCores(1));

        browser.get("http://127.0.0.1:" + CONSOLE_PORT + "/");

        // The page refreshes itself every 2 s: wait for the state, never for a time.
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(text("harbor-name")).isEqualTo("home");
            assertThat(text("harbors")).isEqualTo("1");
            assertThat(text("contributors")).isEqualTo("2");
            assertThat(rows()).containsExactly(
                    List.of("h1", "harbor", "home"), List.of("alice", "contributor", "home"), List.of("bob", "contributor", "home"));
        });
        assertThat(browser.findElement(By.id("banner")).isDisplayed()).isFalse();

        grid.stop("bob");
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(text("contributors")).isEqualTo("1");
            assertThat(rows()).extracting(r -> r.get(0)).containsExactly("h1", "alice");
        });

        grid.close(); // the harbor and its console go away: the page must say so
        await().atMost(PATIENCE).untilAsserted(() -> {
            WebElement banner = browser.findElement(By.id("banner"));
            assertThat(banner.isDisplayed()).isTrue();
            assertThat(banner.getText()).contains("cannot reach the grid API");
        });
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    /** Name, role and harbor of each row of the node table. */
    private List<List<String>> rows() {
        return browser.findElements(By.cssSelector("#node-rows tr.node")).stream()
                .map(tr -> tr.findElements(By.tagName("td")).stream().limit(3).map(WebElement::getText).toList())
                .toList();
    }

    private static void requireChromium() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String why = "the console's browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                + " (apt-get install -y chromium chromium-driver)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why);
        }
        abort(why);
    }
}
