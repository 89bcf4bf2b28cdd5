package io.groundcontrol.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.api.ApiServer;
import io.groundcontrol.apikey.Role;
import io.groundcontrol.client.ApiKeyRegistry;
import io.groundcontrol.client.ComponentPublisher;
import io.groundcontrol.client.SchedulePublisher;
import io.groundcontrol.coordinator.Coordinator;
import io.groundcontrol.coordinator.TopicSetup;
import io.groundcontrol.plan.ComponentFiles;
import io.groundcontrol.plan.PlanFiles;
import io.groundcontrol.schedule.ScheduleFile;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.testing.TestDirs;
import io.groundcontrol.worker.api.StageContext;
import io.groundcontrol.worker.api.StageResult;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web UI in a real browser: Debian's headless Chromium driven by Selenium, against the
 * embedded broker, a coordinator with its API and UI, and Java workers. Saves screenshots of the
 * main pages to {@code docs/screenshots/} (linked from the README).
 */
class WebUiIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final Path SCREENSHOTS = Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("screenshots");

  /** Five stages over two components; {@code label} is required, {@code fail_once} fails 'clean' once. */
  private static final String PLAN = """
      name: scoring
      description: Score customers, from the warehouse extract to a published model.
      params:
        label:
          description: Name of this run, shown in the outputs
        work_ms:
          description: How long each stage works, in milliseconds
          default: 200
        fail_once:
          description: Whether stage 'clean' fails its first attempt
          default: false
      defaults:
        retry: { attempts: 1, backoff: 100ms }
      stages:
        - name: extract
          component: warehouse
          params: { work_ms: "${params.work_ms}", label: "${params.label}" }
        - name: clean
          component: warehouse
          upstream: [extract]
          params: { work_ms: "${params.work_ms}", fail_once: "${params.fail_once}" }
        - name: features
          component: ml
          upstream: [extract]
          params: { work_ms: "${params.work_ms}" }
        - name: train
          component: ml
          upstream: [clean, features]
          params: { work_ms: "${params.work_ms}" }
        - name: publish
          component: ml
          upstream: [train]
          params: { work_ms: "${params.work_ms}", label: "${params.label}" }
      """;

  /** A capped component without workers: its second mission queues. */
  private static final String COMPONENTS = """
      gpu:
        max_running: 1
        weights: { gpu-work: 2 }
      """;
  private static final String GPU_PLAN = """
      name: gpu-work
      stages:
        - name: render
          component: gpu
      """;
  private static final String SCHEDULES = """
      schedules:
        - name: nightly-scoring
          plan: scoring
          params: { label: nightly }
          cron: "30 2 * * *"
          time_zone: Europe/Copenhagen
        - name: hourly-refresh
          plan: scoring
          params: { label: refresh, work_ms: 100 }
          every: 1h
          start_at: 2030-01-01T00:00:00Z     # no fire of its own during the test
          overlap: buffer_one
        - name: quarterly-backfill
          plan: scoring
          params: { label: backfill }
          cron: "0 6 1 */3 *"
          paused: true
      """;

  private static GroundcontrolFixture groundcontrol;
  private static Coordinator coordinator;
  private static ApiServer server;
  private static String operatorKey;
  private static String viewerKey;
  private static ChromeDriver browser;
  private static Path downloads;
  private static String ui;

  @BeforeAll
  static void startEverything() throws IOException {
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .as("Expected Debian's chromium and chromedriver at %s and %s; install them with "
            + "`apt-get install chromium chromium-driver` (.ci/run does)", CHROMIUM, CHROMEDRIVER).isTrue();
    groundcontrol = new GroundcontrolFixture(KAFKA, "ui");
    server = ApiServer.start(ApiServer.Settings.local(0));
    coordinator = Coordinator.start(server.configure(groundcontrol.coordinatorConfig()), new TopicSetup(2, (short) 1),
        Duration.ofSeconds(60));
    try (ApiKeyRegistry keys = new ApiKeyRegistry(groundcontrol.connection(), groundcontrol.topics(), Clock.systemUTC())) {
      operatorKey = keys.create("ops", Role.OPERATOR);
      viewerKey = keys.create("watcher", Role.VIEWER);
    }
    server.attach(coordinator);
    groundcontrol.apply(PlanFiles.parse(PLAN, "scoring.yaml", PlanFiles.Format.YAML));
    groundcontrol.worker("warehouse", 4, WebUiIT::work);
    groundcontrol.worker("ml", 4, WebUiIT::work);
    groundcontrol.apply(PlanFiles.parse(GPU_PLAN, "gpu-work.yaml", PlanFiles.Format.YAML));
    try (ComponentPublisher components = new ComponentPublisher(groundcontrol.connection(), groundcontrol.topics(), 2);
        SchedulePublisher schedules = new SchedulePublisher(groundcontrol.connection(), groundcontrol.topics(), 2)) {
      components.apply(ComponentFiles.parse(COMPONENTS, "components.yaml"));
      schedules.apply(ScheduleFile.parse(SCHEDULES, "schedules.yaml"));
    }
    ui = server.baseUrl().replace("/api/v1", "/ui");
    downloads = TestDirs.create("gc-ui-downloads-");
    browser = browser(downloads);
  }

  @AfterAll
  static void stopEverything() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (coordinator != null) {
      coordinator.close();
    }
    if (groundcontrol != null) {
      groundcontrol.close();
    }
  }

  /** Works for {@code work_ms}, interruptibly (a cancel interrupts it); fails 'clean' once if asked. */
  private static StageResult work(StageContext context) throws InterruptedException {
    if (context.stage().equals("clean") && context.attempt() == 1
        && context.stringParam("fail_once").map("true"::equals).orElse(false)) {
      throw new IllegalStateException("warehouse connection reset (the first attempt fails on purpose)");
    }
    Thread.sleep(context.stringParam("work_ms").map(Long::parseLong).orElse(200L));
    return StageResult.finished().stringOutput("done_by", context.stage())
        .stringOutput("label", context.stringParam("label").orElse("-"))
        .output("attempt", Integer.toString(context.attempt()));
  }

  @Test
  void anOperatorStartsWatchesRetriesCancelsAndDownloads() throws Exception {
    signIn(operatorKey);
    assertThat(text(By.id("who"))).isEqualTo("ops · operator");

    open("/plans/scoring");
    assertThat(browser.findElements(By.cssSelector("svg.dag g.node"))).hasSize(5);
    screenshot("plan");
    browser.findElement(By.id("start-link")).click();

    // Errors at their fields: the required label left empty, a JSON value cut short.
    WebElement workMs = browser.findElement(By.id("param-work_ms"));
    assertThat(workMs.getAttribute("value")).as("default filled in").isEqualTo("200");
    assertThat(browser.findElement(By.id("param-label")).getAttribute("required")).isNotNull();
    workMs.clear();
    workMs.sendKeys("[1,");
    browser.findElement(By.id("start-submit")).click();
    assertThat(text(By.id("param-label-error"))).contains("Expected a value for required param 'label'");
    assertThat(text(By.id("param-work_ms-error"))).contains("Expected valid JSON for param 'work_ms'");
    screenshot("start-form-errors");

    // Fixed and submitted: the mission's page opens and its DAG turns green without a reload.
    fill("param-work_ms", "400");
    fill("param-label", "nightly");
    screenshot("start-form");
    browser.findElement(By.id("start-submit")).click();
    String finished = missionIdOfPage();
    ((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");
    awaitStages(Map.of("extract", "FINISHED", "clean", "FINISHED", "features", "FINISHED", "train", "FINISHED",
        "publish", "FINISHED"));
    awaitText(By.id("mission-status"), "FINISHED");
    assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded === true;"))
        .as("the page updated itself, it was not reloaded").isEqualTo(true);
    awaitPresent(By.cssSelector("#attempts tr[data-stage='publish']"));
    screenshot("mission-finished");
    ((JavascriptExecutor) browser).executeScript("document.querySelector('section.timeline').scrollIntoView();");
    screenshot("mission-timeline");

    // Downloads, as the browser saves them.
    click(By.id("download-csv"));
    String csv = Files.readString(awaitFile(downloads.resolve(finished + "-outputs.csv")));
    assertThat(csv).startsWith("stage,output,value").contains("publish,label,\"\"\"nightly\"\"\"");
    click(By.id("download-json"));
    String json = Files.readString(awaitFile(downloads.resolve(finished + "-outputs.json")));
    assertThat(ApiCalls.parse(json).path("outputs").path("extract").path("label").asText()).isEqualTo("nightly");

    // The same form submitted twice starts one mission, and both land on its page.
    open("/plans/scoring/start");
    String formKey = browser.findElement(By.name("idempotencyKey")).getAttribute("value");
    String firstLanding = submitFromPage("/ui/plans/scoring/start", "idempotencyKey=" + formKey + "&param.label=twice");
    String secondLanding = submitFromPage("/ui/plans/scoring/start", "idempotencyKey=" + formKey + "&param.label=twice");
    assertThat(firstLanding).contains("/ui/missions/k.scoring.").isEqualTo(secondLanding);

    // A stage that fails for good is retried with its button.
    String failing = startFromForm(Map.of("param-label", "flaky", "param-fail_once", "true"));
    awaitStages(Map.of("clean", "FAILED"));
    awaitText(By.id("mission-status"), "FAILED");
    awaitPresent(By.cssSelector("#attempts tr[data-stage='clean'] details"));
    assertThat(text(By.cssSelector("#stage-clean details summary"))).contains("warehouse connection reset");
    screenshot("mission-failed");
    anOpenedErrorStaysOpenWhenThePolledPartsAreDrawnAnew();
    clickConfirmed(By.cssSelector("#stage-clean button[data-op='retry']"));
    assertThat(text(By.id("notice"))).isEqualTo("Retry of stage 'clean' accepted");
    awaitStages(Map.of("clean", "FINISHED", "train", "FINISHED", "publish", "FINISHED"));
    awaitText(By.id("mission-status"), "FINISHED");
    assertThat(browser.getCurrentUrl()).contains(failing);

    // Retried from the CLI while its page is open: the timeline, which stopped polling once the log
    // showed the mission failed, polls again and shows the stages that then run.
    String retriedElsewhere = startFromForm(Map.of("param-label", "flaky-cli", "param-fail_once", "true"));
    awaitText(By.id("mission-status"), "FAILED");
    awaitPresent(By.cssSelector("#events tr[data-kind='MissionFailed']"));
    JavascriptExecutor js = (JavascriptExecutor) browser;
    await("the timeline to stop polling", () -> (Boolean) js.executeScript(
        "return !(document.getElementById('timeline').getAttribute('hx-trigger') || '').startsWith('every');"));
    js.executeScript("window.notReloaded = true;");
    groundcontrol.commands().retryStage(retriedElsewhere, "clean", true);
    awaitText(By.id("mission-status"), "FINISHED");
    awaitPresent(By.cssSelector("#attempts tr[data-stage='publish']"));
    awaitPresent(By.cssSelector("#events tr[data-kind='MissionFinished']"));
    assertThat(js.executeScript("return window.notReloaded === true;")).as("not reloaded").isEqualTo(true);

    // A long mission is cancelled with its button.
    String cancelled = startFromForm(Map.of("param-label", "long", "param-work_ms", "600000"));
    awaitStages(Map.of("extract", "RUNNING"));
    clickConfirmed(By.id("cancel-mission"));
    awaitText(By.id("mission-status"), "CANCELLED");
    assertThat(browser.findElements(By.id("cancel-mission"))).isEmpty();
    // The stage the cancel stopped shows so, not RUNNING for ever; a stage that never ran says it will not.
    awaitStages(Map.of("extract", "CANCELLED", "clean", "WAITING"));
    assertThat(text(By.cssSelector("#stage-extract .badge"))).isEqualTo("CANCELLED");
    assertThat(text(By.cssSelector("#stage-extract .note"))).isEqualTo("was RUNNING when the mission was cancelled");
    assertThat(text(By.cssSelector("#stage-clean .note"))).isEqualTo("will not run: the mission was cancelled");

    // The list: all three, filtered by status, live.
    open("/missions");
    awaitPresent(By.cssSelector("#rows tr[data-mission='" + cancelled + "']"));
    assertThat(browser.findElements(By.cssSelector("#rows tr[data-mission]"))).hasSizeGreaterThanOrEqualTo(3);
    screenshot("missions");
    open("/missions?status=CANCELLED");
    assertThat(browser.findElements(By.cssSelector("#rows tr[data-mission]")))
        .extracting(row -> row.getAttribute("data-mission")).contains(cancelled).doesNotContain(finished, failing);
    open("/missions?status=FINISHED");
    assertThat(browser.findElements(By.cssSelector("#rows tr[data-mission]")))
        .extracting(row -> row.getAttribute("data-mission")).contains(finished, failing).doesNotContain(cancelled);
    open("/missions?after=2001-01-01T00:00&before=2001-01-02T00:00");
    assertThat(browser.findElements(By.cssSelector("#rows tr[data-mission]"))).isEmpty();
    // Instants in a link show in the pickers, in UTC, and the next Filter click keeps them.
    open("/missions?after=2001-01-01T01:00:00%2B01:00&before=2001-01-02T00:00:30Z");
    assertThat(browser.findElement(By.name("after")).getAttribute("value")).isEqualTo("2001-01-01T00:00");
    assertThat(browser.findElement(By.name("before")).getAttribute("value")).isEqualTo("2001-01-02T00:00:30");
    browser.findElement(By.cssSelector("#filters button[type='submit']")).click();
    await("the filter to be submitted", () -> browser.getCurrentUrl().contains("before=2001-01-02T00%3A00%3A30"));
    assertThat(browser.getCurrentUrl()).contains("after=2001-01-01T00%3A00");
    assertThat(browser.findElements(By.cssSelector("#rows tr[data-mission]"))).isEmpty();
  }

  @Test
  void anOperatorPausesResumesAndFiresAScheduleAndSeesTheComponentQueues() {
    groundcontrol.commands().start("gpu-1", "gpu-work", Map.of(), List.of());
    groundcontrol.commands().start("gpu-2", "gpu-work", Map.of(), List.of());
    signIn(operatorKey);
    browser.findElement(By.id("nav-schedules")).click();
    awaitSchedules(3);
    By hourly = By.cssSelector("tr[data-schedule='hourly-refresh']");
    assertThat(text(By.cssSelector("tr[data-schedule='quarterly-backfill'] td.paused"))).isEqualTo("paused by schedules file");
    assertThat(browser.findElements(By.cssSelector("tr[data-schedule='quarterly-backfill'] button[data-op='resume']")))
        .as("only a new file resumes a schedule its file pauses").isEmpty();
    assertThat(text(By.cssSelector("tr[data-schedule='hourly-refresh'] td.next"))).isNotBlank();

    browser.findElement(hourly).findElement(By.name("reason")).sendKeys("upgrading the warehouse");
    clickConfirmed(By.cssSelector("tr[data-schedule='hourly-refresh'] button[data-op='pause']"));
    awaitText(By.id("notice"), "Paused schedule 'hourly-refresh'");
    assertThat(browser.findElement(hourly).getAttribute("data-paused")).isEqualTo("true");
    assertThat(text(By.cssSelector("tr[data-schedule='hourly-refresh'] td.paused")))
        .isEqualTo("paused by ops: upgrading the warehouse");
    assertThat(text(By.cssSelector("tr[data-schedule='hourly-refresh'] td.next"))).isEqualTo("none");

    clickConfirmed(By.cssSelector("tr[data-schedule='hourly-refresh'] button[data-op='resume']"));
    awaitText(By.id("notice"), "Resumed schedule 'hourly-refresh'");
    assertThat(browser.findElement(hourly).getAttribute("data-paused")).isEqualTo("false");

    clickConfirmed(By.cssSelector("tr[data-schedule='hourly-refresh'] button[data-op='trigger']"));
    await("the fire's notice", () -> text(By.id("notice")).startsWith("Fired schedule 'hourly-refresh': mission "));
    String fired = text(By.id("notice")).replaceFirst(".*: mission ", "");
    assertThat(fired).startsWith("s.hourly-refresh.manual-");
    await("the fired mission to finish on the schedules page", () -> {
      open("/schedules");
      return text(By.cssSelector("tr[data-schedule='hourly-refresh'] td.last")).equals(fired + " FINISHED");
    });
    screenshot("schedules");
    click(By.linkText(fired));
    awaitText(By.id("mission-status"), "FINISHED");

    browser.findElement(By.id("nav-components")).click();
    By gpu = By.cssSelector("tr[data-component='gpu']");
    await("gpu to show one running and one queued", () -> text(By.cssSelector("tr[data-component='gpu'] td.queued"))
        .equals("1") && text(By.cssSelector("tr[data-component='gpu'] td.running")).equals("1"));
    assertThat(text(By.cssSelector("tr[data-component='gpu'] td.cap"))).isEqualTo("1");
    assertThat(text(By.cssSelector("tr[data-component='gpu'] td.oldest"))).matches("\\d+[smh]");
    assertThat(browser.findElement(gpu).getText()).contains("gpu-work=2");
    assertThat(browser.findElement(By.cssSelector("tr[data-component='warehouse'] td.workers .badge"))
        .getAttribute("data-live")).isNotEqualTo("0");
    assertThat(text(By.cssSelector("tr[data-component='ml'] td.cap"))).isEqualTo("-");
    screenshot("components");

    // Each mission's page says why its stage waits: one holds gpu's only slot with no worker of gpu live,
    // the other queues for that slot, which no live worker would take either.
    List<String> notes = new ArrayList<>();
    for (String mission : List.of("gpu-1", "gpu-2")) {
      open("/missions/" + mission);
      awaitPresent(By.cssSelector("#stage-render .note"));
      notes.add(text(By.cssSelector("#stage-render .note")));
    }
    assertThat(notes).anySatisfy(note -> assertThat(note).isEqualTo("no live worker of 'gpu'; waiting for a slot: 1 of 1 running"))
        .anySatisfy(note -> assertThat(note).matches("waiting \\d+ s; no live worker of 'gpu'"));

    groundcontrol.commands().cancel("gpu-1", "test over");
    groundcontrol.commands().cancel("gpu-2", "test over");
  }

  @Test
  void aViewerSeesNoOperateButtonsAndIsRefusedIfItPostsAnyway() {
    String markup = "<img id=injected src=x onerror=alert(1)>";
    groundcontrol.commands().start("viewed", "scoring",
        Map.of("label", ApiCalls.write(markup), "work_ms", "600000"), List.of());
    signIn(viewerKey);
    assertThat(text(By.id("who"))).isEqualTo("watcher · viewer");
    open("/missions/viewed");
    awaitStages(Map.of("extract", "RUNNING"));
    assertThat(browser.findElements(By.id("cancel-mission"))).isEmpty();
    assertThat(browser.findElements(By.cssSelector("button[data-op]"))).isEmpty();
    assertThat(browser.findElements(By.id("injected"))).as("a param's value is text, never markup").isEmpty();
    assertThat(text(By.id("live"))).contains(markup);
    screenshot("mission-viewer");
    open("/plans");
    assertThat(browser.findElements(By.linkText("Start…"))).isEmpty();

    assertThat(postFromPage("/ui/missions/viewed/cancel")).isEqualTo(403);
    assertThat(postFromPage("/ui/missions/viewed/stages/extract/skip")).isEqualTo(403);
    assertThat(postFromPage("/ui/plans/scoring/start")).isEqualTo(403);
    open("/plans/scoring/start");
    assertThat(text(By.id("error-message"))).contains("role OPERATOR").contains("has role VIEWER");
    open("/schedules");
    awaitSchedules(3);
    assertThat(browser.findElements(By.cssSelector("button[data-op]"))).as("no pause, resume or fire").isEmpty();
    assertThat(browser.findElements(By.name("reason"))).isEmpty();
    assertThat(postFromPage("/ui/schedules/hourly-refresh/pause")).isEqualTo(403);
    assertThat(postFromPage("/ui/schedules/hourly-refresh/trigger")).isEqualTo(403);
    open("/components");
    awaitPresent(By.cssSelector("tr[data-component='gpu']"));
    open("/missions/viewed");
    assertThat(text(By.id("mission-status"))).as("still running: nothing was done").isEqualTo("RUNNING");

    groundcontrol.commands().cancel("viewed", "test over");
  }

  @Test
  void withoutAKeyThePagesAskToSignInAndAWrongKeyIsRefusedAtTheField() {
    browser.manage().deleteAllCookies();
    browser.get(ui + "/missions/anything");
    assertThat(browser.getCurrentUrl()).contains("/ui/signin?next=");
    screenshot("signin");
    browser.findElement(By.id("key")).sendKeys("gc_not-a-key");
    browser.findElement(By.id("signin")).click();
    await("the sign-in page to answer", () -> !browser.findElements(By.id("key-error")).isEmpty());
    assertThat(text(By.id("key-error"))).isEqualTo("Expected a valid API key, but this one is unknown or revoked");
  }

  @Test
  void formsFromOtherSitesAndRedirectsElsewhereAreRefused() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpResponse<String> crossSite = http.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(ui + "/missions/any/cancel")).header("Cookie", Session.COOKIE + "=" + operatorKey)
        .header("Origin", "http://evil.example").POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(crossSite.body()).isEqualTo("Expected a form of this site, but it came from http://evil.example");

    java.net.http.HttpResponse<String> signIn = http.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(ui + "/signin")).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("key=" + operatorKey + "&next=//evil.example/x")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(signIn.headers().firstValue("Location")).hasValue("/ui/missions");
    assertThat(signIn.headers().allValues("Set-Cookie")).anySatisfy(cookie ->
        assertThat(cookie).startsWith(Session.COOKIE + "=").contains("HttpOnly").containsIgnoringCase("SameSite=Strict"));

    java.net.http.HttpResponse<String> fragment = http.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(ui + "/missions/rows")).header("HX-Request", "true").build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(fragment.statusCode()).as("htmx follows HX-Redirect instead of swapping a page in").isEqualTo(204);
    assertThat(fragment.headers().firstValue("HX-Redirect")).hasValue("/ui/signin?next=%2Fui%2Fmissions");
  }

  // --- the browser ---

  private static ChromeDriver browser(Path downloadDir) throws IOException {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    Path profile = TestDirs.create("gc-ui-chromium-");
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile);
    options.setExperimentalOption("prefs", Map.of("download.default_directory", downloadDir.toString(),
        "download.prompt_for_download", false));
    // The driver given explicitly: Selenium Manager never runs, so nothing is downloaded.
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(1366, 860));
    return driver;
  }

  /** The stage's error and its attempt's, opened, then both polled parts swapped in anew as their polls do. */
  private static void anOpenedErrorStaysOpenWhenThePolledPartsAreDrawnAnew() {
    JavascriptExecutor js = (JavascriptExecutor) browser;
    // Both parts still poll (the live part every 10 s once the mission ended): a redraw between finding
    // an element and clicking it leaves the test holding a detached one, so it is found again then.
    click(By.cssSelector("#stage-clean details summary"));
    click(By.cssSelector("#attempts tr[data-stage='clean'] details summary"));
    js.executeScript("window.oldLive = document.getElementById('live');"
        + " window.oldTimeline = document.getElementById('timeline');"
        + " htmx.ajax('GET', location.pathname + '/live', {target: '#live', swap: 'outerHTML'});"
        + " htmx.ajax('GET', location.pathname + '/timeline', {target: '#timeline', swap: 'outerHTML'});");
    await("the mission's live part and timeline to be drawn anew", () -> (Boolean) js.executeScript(
        "return document.getElementById('live') !== window.oldLive"
            + " && document.getElementById('timeline') !== window.oldTimeline"
            + " && document.querySelector(\"#attempts tr[data-stage='clean'] details\") !== null;"));
    assertThat(attribute(By.cssSelector("#stage-clean details"), "open"))
        .as("the stage's error detail, opened before the redraw").isNotNull();
    assertThat(attribute(By.cssSelector("#attempts tr[data-stage='clean'] details"), "open"))
        .as("the attempt's error detail, opened before the redraw").isNotNull();
  }

  private static void signIn(String key) {
    browser.manage().deleteAllCookies();
    browser.get(ui + "/signin");
    browser.findElement(By.id("key")).sendKeys(key);
    browser.findElement(By.id("signin")).click();
    awaitPresent(By.id("who"));
  }

  private static void open(String path) {
    browser.get(ui + path);
  }

  private static String startFromForm(Map<String, String> fields) {
    open("/plans/scoring/start");
    fields.forEach(WebUiIT::fill);
    browser.findElement(By.id("start-submit")).click();
    return missionIdOfPage();
  }

  private static void fill(String id, String value) {
    WebElement field = browser.findElement(By.id(id));
    field.clear();
    field.sendKeys(value);
  }

  private static String missionIdOfPage() {
    awaitPresent(By.id("mission-status"));
    String url = browser.getCurrentUrl();
    return url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
  }

  /** Clicks a button whose form asks for confirmation, and confirms. */
  private static void clickConfirmed(By button) {
    click(button);
    browser.switchTo().alert().accept();
    awaitPresent(By.id("notice"));
  }

  /** The status of a POST sent by the page's own script, with the page's cookie: as a user could. */
  private static long postFromPage(String path) {
    Object status = ((JavascriptExecutor) browser).executeAsyncScript(
        "var done = arguments[arguments.length - 1];"
            + "fetch(arguments[0], {method: 'POST', redirect: 'manual', headers: {'Content-Type': "
            + "'application/x-www-form-urlencoded'}, body: 'idempotencyKey=x&param.label=y'})"
            + ".then(r => done(r.status)).catch(e => done(-1));", path);
    return (Long) status;
  }

  /** Where a form POST sent by the page's own script lands, after redirects. */
  private static String submitFromPage(String path, String body) {
    return (String) ((JavascriptExecutor) browser).executeAsyncScript(
        "var done = arguments[arguments.length - 1];"
            + "fetch(arguments[0], {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},"
            + " body: arguments[1]}).then(r => done(r.status + ' ' + r.url)).catch(e => done('failed: ' + e));",
        path, body);
  }

  /** Opens the schedules page until the scheduler has taken in {@code count} schedules. */
  private static void awaitSchedules(int count) {
    await(count + " schedules listed", () -> {
      if (browser.findElements(By.cssSelector("tr[data-schedule]")).size() >= count) {
        return true;
      }
      open("/schedules");
      return false;
    });
  }

  private static void awaitStages(Map<String, String> states) {
    await("stages " + states, () -> states.entrySet().stream().allMatch(e ->
        e.getValue().equals(browser.findElement(By.cssSelector("svg.dag g.node[data-stage='" + e.getKey() + "']"))
            .getAttribute("data-state"))));
  }

  private static void awaitText(By element, String expected) {
    await(element + " to read " + expected, () -> expected.equals(browser.findElement(element).getText()));
  }

  private static void awaitPresent(By element) {
    await(element + " to be present", () -> !browser.findElements(element).isEmpty());
  }

  private static Path awaitFile(Path file) {
    await(file + " to be downloaded", () -> Files.exists(file) && !Files.exists(file.resolveSibling(file.getFileName() + ".crdownload")));
    return file;
  }

  private static String text(By element) {
    return retrying(() -> browser.findElement(element).getText());
  }

  /** The attribute's value, or null if the element has none. */
  private static String attribute(By element, String name) {
    return retrying(() -> browser.findElement(element).getAttribute(name));
  }

  /** Clicks {@code element} once, found again if a live update replaced it before the click. */
  private static void click(By element) {
    retrying(() -> {
      browser.findElement(element).click();
      return true;
    });
  }

  /** Polls {@code condition} until it holds; elements replaced by a live update are read again. */
  private static void await(String what, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      try {
        if (Boolean.TRUE.equals(condition.get())) {
          return;
        }
      } catch (StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
        // replaced or not there yet: look again
      }
      if (System.nanoTime() > deadline) {
        saveFailure(what);
        throw new AssertionError("Expected " + what + " within " + DEADLINE + ", but the page is at "
            + browser.getCurrentUrl());
      }
      try {
        Thread.sleep(100); // the interval between two looks at the page; the condition is what is awaited
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }

  /**
   * Runs {@code action} until the elements it reads are there: replaced by a live update, or not
   * there yet because a click's navigation has not brought the next page in.
   */
  private static <T> T retrying(Supplier<T> action) {
    AtomicReference<T> result = new AtomicReference<>();
    await("the page to hold what the test reads", () -> {
      result.set(action.get());
      return true;
    });
    return result.get();
  }

  /** The page as it was when a wait failed, next to the test reports (not in docs). */
  private static void saveFailure(String what) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "failsafe-reports", "screenshots"));
      Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), dir.resolve("failed-" + System.nanoTime() + ".png"),
          StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(dir.resolve("failed-" + System.nanoTime() + ".html"), "<!-- " + what + " -->\n" + browser.getPageSource());
    } catch (IOException | WebDriverException e) {
      // the assertion that follows says what failed
    }
  }

  private static void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      File shot = browser.getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | WebDriverException e) {
      throw new AssertionError("Could not save screenshot " + name + ": " + e.getMessage(), e);
    }
  }
}
