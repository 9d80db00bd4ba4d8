import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * An open-loop, constant-rate load generator (the wrk2 model) for bench/run's "at a fixed rate" scenarios (issue 21).
 *
 * <p>Request i is due at start + i / rate, whatever happened to the requests before it; its latency is measured from
 * that due time, not from when it was sent, so a stall of the server counts against every request it delayed (no
 * coordinated omission: a closed loop such as wrk waits, and stops asking, while the server stalls). Requests in flight
 * are capped (--max-in-flight, default 512); a request that waits for the cap still counts from its due time.
 *
 * <p>Usage: {@code java -cp HdrHistogram.jar bench/lib/FixedRate.java --url URL | --urls FILE --rate PER_SECOND --duration SECONDS
 * [--warmup SECONDS] [--header 'Name: value']... [--max-in-flight N] [--timeout SECONDS]}. Prints one JSON object:
 * offered rate, requests served (2xx) per second over the measured window and their latency percentiles in milliseconds
 * (HdrHistogram, 3 significant digits), the other answers by status (non-2xx, e.g. the app's 503 when it sheds load:
 * counted, not timed) and errors (timeouts, refused connections). Warm-up requests are sent at the same rate and not
 * recorded.
 */
public class FixedRate {

    public static void main(String[] args) throws Exception {
        List<String> urls = new ArrayList<>();
        double rate = 0;
        double duration = 30;
        double warmup = 10;
        int maxInFlight = 512;
        double timeout = 10;
        List<String[]> headers = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> urls.add(args[++i]);
                case "--urls" -> java.nio.file.Files.readAllLines(java.nio.file.Path.of(args[++i])).stream()
                        .map(String::strip).filter(l -> !l.isEmpty()).forEach(urls::add);
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--duration" -> duration = Double.parseDouble(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--max-in-flight" -> maxInFlight = Integer.parseInt(args[++i]);
                case "--timeout" -> timeout = Double.parseDouble(args[++i]);
                case "--header" -> {
                    String h = args[++i];
                    int colon = h.indexOf(':');
                    if (colon < 1) {
                        throw new IllegalArgumentException("--header takes 'Name: value', not " + h);
                    }
                    headers.add(new String[] {h.substring(0, colon).trim(), h.substring(colon + 1).trim()});
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (urls.isEmpty() || rate <= 0 || duration <= 0) {
            throw new IllegalArgumentException("--url (or --urls FILE) and a positive --rate and --duration are required");
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<HttpRequest> requests = new ArrayList<>();
        for (String url : urls) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofMillis((long) (timeout * 1000))).GET();
            for (String[] h : headers) {
                builder.header(h[0], h[1]);
            }
            requests.add(builder.build());
        }

        Recorder recorder = new Recorder(3);
        AtomicLong completed = new AtomicLong();
        AtomicLong non2xx = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ConcurrentHashMap<String, AtomicLong> errorKinds = new ConcurrentHashMap<>();
        ConcurrentHashMap<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        Semaphore inFlight = new Semaphore(maxInFlight);

        long intervalNanos = (long) (1_000_000_000L / rate);
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmup * 1e9);
        long end = measureFrom + (long) (duration * 1e9);
        long sent = 0;
        for (long i = 0; ; i++) {
            long due = start + i * intervalNanos;
            if (due >= end) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            inFlight.acquireUninterruptibly();
            boolean measured = due >= measureFrom;
            if (measured) {
                sent++;
            }
            HttpRequest request = requests.get((int) (i % requests.size()));
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                long now = System.nanoTime();
                inFlight.release();
                if (!measured) {
                    return;
                }
                if (failure != null) {
                    errors.incrementAndGet();
                    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                    errorKinds.computeIfAbsent(cause.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
                    return;
                }
                if (response.statusCode() / 100 != 2) {
                    // a refusal (503 from the app's load shedding, say) is counted by status, not timed: its fast
                    // answer would lower the percentiles of the pages actually served
                    non2xx.incrementAndGet();
                    statuses.computeIfAbsent(response.statusCode(), k -> new AtomicLong()).incrementAndGet();
                    return;
                }
                completed.incrementAndGet();
                recorder.recordValue(Math.max(1, (now - due) / 1000));
            });
        }
        // let the last requests finish (or time out)
        inFlight.acquireUninterruptibly(maxInFlight);
        long finished = System.nanoTime();
        Histogram h = recorder.getIntervalHistogram();
        double window = (Math.max(end, finished) - measureFrom) / 1e9;
        StringBuilder kinds = new StringBuilder();
        errorKinds.forEach((k, v) -> kinds.append(kinds.length() == 0 ? "" : ", ").append('"').append(k).append("\": ").append(v.get()));
        StringBuilder codes = new StringBuilder();
        statuses.forEach((k, v) -> codes.append(codes.length() == 0 ? "" : ", ").append('"').append(k).append("\": ").append(v.get()));
        System.out.println(String.format(Locale.ROOT,
                "{\"offered_rps\": %.1f, \"sent\": %d, \"completed\": %d, \"rps\": %.1f, \"p50_ms\": %.2f, \"p90_ms\": %.2f, "
                        + "\"p99_ms\": %.2f, \"p999_ms\": %.2f, \"max_ms\": %.2f, \"non2xx\": %d, \"statuses\": {%s}, \"errors\": %d, \"error_kinds\": {%s}}",
                rate, sent, completed.get(), completed.get() / window, ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9),
                h.getMaxValue() / 1000.0, non2xx.get(), codes, errors.get(), kinds));
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }
}
