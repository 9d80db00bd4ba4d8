import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
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
 * [--warmup SECONDS] [--header 'Name: value']... [--max-in-flight N] [--timeout SECONDS] [--slow-log FILE [--slow-ms MS]]}. Prints one JSON object:
 * offered rate, requests served (2xx) per second over the measured window and their latency percentiles in milliseconds
 * (HdrHistogram, 3 significant digits), the other answers by status (non-2xx, e.g. the app's 503 when it sheds load:
 * counted, not timed) and errors (timeouts, refused connections). Warm-up requests are sent at the same rate and not
 * recorded. With --slow-log, the measured 2xx answers slower than --slow-ms (40) are also written to FILE, one line each:
 * the request's due time in epoch milliseconds and its latency in milliseconds (to line the tail up with a GC log).
 *
 * <p>Cheap per request, because it shares the CPU with the system it measures: one thread, non-blocking sockets and a
 * {@link Selector}, HTTP/1.1 keep-alive with one request per connection at a time (a due request goes out on an idle
 * connection, or on a new one up to --max-in-flight connections, or waits), request bytes built once per URL, and a
 * minimal response parser (status line; body by Content-Length, chunked Transfer-Encoding, or up to the close;
 * Connection: close and HTTP/1.0 honoured). Plain http:// only, all URLs on one host and port. A keep-alive connection
 * the server closed while idle is retried once on a new connection (not an error). A timeout (--timeout, from when the
 * request was given a connection) closes that connection and counts as an error of kind HttpTimeoutException (or
 * HttpConnectTimeoutException if it was still connecting); a refused connection is ConnectException, a connection closed
 * before the whole answer EOFException, other socket failures their exception's class name.
 */
public class FixedRate {

    /** One connection and the request it carries (at most one at a time). */
    private static final class Conn {
        SocketChannel channel;
        SelectionKey key;
        boolean connected;
        boolean reused; // it has carried an answer before: an EOF before any byte means the server closed it while idle
        boolean busy;
        long index; // the request's number (due time and URL follow from it)
        boolean retried;
        long deadline;
        ByteBuffer out;
        long bytesIn;
        // response parser
        int phase;
        int status;
        long remaining;
        long contentLength;
        boolean chunked;
        boolean close;
        final StringBuilder line = new StringBuilder();
    }

    private static final int STATUS = 0, HEADERS = 1, BODY = 2, CHUNK_SIZE = 3, CHUNK_DATA = 4, CHUNK_END = 5,
            TRAILERS = 6, UNTIL_CLOSE = 7, DONE = 8;

    private final Selector selector;
    private final InetSocketAddress address;
    private final ByteBuffer[] requests;
    private final int maxInFlight;
    private final long timeoutNanos;
    private final long start;
    private final long interval;
    private final long measureFrom;
    private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
    private final ArrayDeque<Conn> idle = new ArrayDeque<>();
    private final ArrayDeque<Long> pending = new ArrayDeque<>(); // request numbers, a retried one as -(n + 1)
    private int open;
    private int busy;

    private final Histogram histogram = new Histogram(3);
    private long sent;
    private long completed;
    private long non2xx;
    private long errors;
    private final Map<String, Long> errorKinds = new TreeMap<>();
    private final Map<Integer, Long> statuses = new TreeMap<>();
    // --slow-log: the measured 2xx answers slower than slowMicros, as (due time in epoch milliseconds, latency in ms)
    private long slowMicros = Long.MAX_VALUE;
    private final List<long[]> slow = new ArrayList<>();
    private final long epochNanosOffset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();

    private FixedRate(InetSocketAddress address, ByteBuffer[] requests, int maxInFlight, long timeoutNanos, long start,
            long interval, long measureFrom) throws IOException {
        this.selector = Selector.open();
        this.address = address;
        this.requests = requests;
        this.maxInFlight = maxInFlight;
        this.timeoutNanos = timeoutNanos;
        this.start = start;
        this.interval = interval;
        this.measureFrom = measureFrom;
    }

    public static void main(String[] args) throws Exception {
        List<String> urls = new ArrayList<>();
        double rate = 0;
        double duration = 30;
        double warmup = 10;
        int maxInFlight = 512;
        double timeout = 10;
        List<String[]> headers = new ArrayList<>();
        String slowLog = null;
        double slowMs = 40;
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
                case "--slow-log" -> slowLog = args[++i];
                case "--slow-ms" -> slowMs = Double.parseDouble(args[++i]);
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
        if (urls.isEmpty() || rate <= 0 || duration <= 0 || maxInFlight < 1) {
            throw new IllegalArgumentException("--url (or --urls FILE) and a positive --rate and --duration are required");
        }
        URI first = URI.create(urls.get(0));
        ByteBuffer[] requests = new ByteBuffer[urls.size()];
        for (int u = 0; u < urls.size(); u++) {
            URI uri = URI.create(urls.get(u));
            if (!"http".equals(uri.getScheme()) || !uri.getHost().equals(first.getHost()) || uri.getPort() != first.getPort()) {
                throw new IllegalArgumentException("plain http:// URLs on one host and port only, not " + uri);
            }
            String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            StringBuilder r = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
            if (uri.getPort() != -1) {
                r.append(':').append(uri.getPort());
            }
            r.append("\r\nUser-Agent: FixedRate\r\n");
            for (String[] h : headers) {
                r.append(h[0]).append(": ").append(h[1]).append("\r\n");
            }
            byte[] bytes = r.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
            requests[u] = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        }
        InetSocketAddress address = new InetSocketAddress(first.getHost(), first.getPort() == -1 ? 80 : first.getPort());

        long interval = (long) (1_000_000_000L / rate);
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmup * 1e9);
        long end = measureFrom + (long) (duration * 1e9);
        FixedRate run = new FixedRate(address, requests, maxInFlight, (long) (timeout * 1e9), start, interval, measureFrom);
        if (slowLog != null) {
            run.slowMicros = (long) (slowMs * 1000);
        }
        run.run(end);
        long finished = System.nanoTime();
        if (slowLog != null) {
            StringBuilder lines = new StringBuilder();
            for (long[] s : run.slow) {
                lines.append(s[0]).append(' ').append(s[1]).append('\n');
            }
            java.nio.file.Files.writeString(java.nio.file.Path.of(slowLog), lines);
        }

        Histogram h = run.histogram;
        double window = (Math.max(end, finished) - measureFrom) / 1e9;
        StringBuilder kinds = new StringBuilder();
        run.errorKinds.forEach((k, v) -> kinds.append(kinds.length() == 0 ? "" : ", ").append('"').append(k).append("\": ").append(v));
        StringBuilder codes = new StringBuilder();
        run.statuses.forEach((k, v) -> codes.append(codes.length() == 0 ? "" : ", ").append('"').append(k).append("\": ").append(v));
        System.out.println(String.format(Locale.ROOT,
                "{\"offered_rps\": %.1f, \"sent\": %d, \"completed\": %d, \"rps\": %.1f, \"p50_ms\": %.2f, \"p90_ms\": %.2f, "
                        + "\"p99_ms\": %.2f, \"p999_ms\": %.2f, \"max_ms\": %.2f, \"non2xx\": %d, \"statuses\": {%s}, \"errors\": %d, \"error_kinds\": {%s}}",
                rate, run.sent, run.completed, run.completed / window, ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9),
                h.getMaxValue() / 1000.0, run.non2xx, codes, run.errors, kinds));
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }

    /** Sends every request due before {@code end}, then waits for the last answers (or their timeouts). */
    private void run(long end) throws IOException {
        long next = 0; // the next request to become due
        long nextTimeoutCheck = 0;
        while (true) {
            long now = System.nanoTime();
            boolean generating = start + next * interval < end;
            while (generating && start + next * interval <= now) {
                if (start + next * interval >= measureFrom) {
                    sent++;
                }
                pending.addLast(next++);
                generating = start + next * interval < end;
            }
            dispatch(now);
            if (now >= nextTimeoutCheck) {
                expire(now);
                nextTimeoutCheck = now + 5_000_000;
            }
            if (!generating && pending.isEmpty() && busy == 0) {
                break;
            }
            long wake = generating ? start + next * interval : Long.MAX_VALUE;
            if (busy > 0) {
                wake = Math.min(wake, nextTimeoutCheck);
            }
            long wait = wake - System.nanoTime();
            int ready;
            if (wait >= 1_000_000) {
                ready = selector.select(wait / 1_000_000);
            } else {
                ready = selector.selectNow();
                if (ready == 0 && wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            if (ready > 0) {
                long t = System.nanoTime();
                for (SelectionKey key : selector.selectedKeys()) {
                    handle((Conn) key.attachment(), key, t);
                }
                selector.selectedKeys().clear();
            }
        }
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }

    /** Gives the due requests a connection: an idle one, else a new one while fewer than --max-in-flight are open. */
    private void dispatch(long now) {
        while (!pending.isEmpty()) {
            // a request sent again after its connection was closed under it goes on a new connection if it may
            Conn c = pending.peekFirst() < 0 && open < maxInFlight ? null : idle.pollLast();
            if (c == null) {
                if (open >= maxInFlight) {
                    return;
                }
                c = new Conn();
                try {
                    c.channel = SocketChannel.open();
                    open++;
                    c.channel.configureBlocking(false);
                    c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    c.connected = c.channel.connect(address);
                    c.key = c.channel.register(selector, c.connected ? 0 : SelectionKey.OP_CONNECT, c);
                } catch (IOException e) {
                    take(c, now);
                    fail(c, e.getClass().getSimpleName());
                    continue;
                }
            }
            take(c, now);
            if (c.connected) {
                try {
                    write(c);
                } catch (IOException e) {
                    fail(c, e.getClass().getSimpleName());
                }
            }
        }
    }

    /** Puts the first pending request on connection c. */
    private void take(Conn c, long now) {
        long v = pending.pollFirst();
        c.retried = v < 0;
        c.index = v < 0 ? -v - 1 : v;
        c.busy = true;
        busy++;
        c.deadline = now + timeoutNanos;
        c.out = requests[(int) (c.index % requests.length)].duplicate();
        c.bytesIn = 0;
        c.phase = STATUS;
        c.status = 0;
        c.contentLength = -1;
        c.chunked = false;
        c.close = false;
        c.line.setLength(0);
    }

    private void write(Conn c) throws IOException {
        c.channel.write(c.out);
        c.key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    private void handle(Conn c, SelectionKey key, long now) {
        if (!key.isValid()) {
            return;
        }
        try {
            if (key.isConnectable()) {
                c.channel.finishConnect();
                c.connected = true;
                write(c);
            } else if (key.isWritable()) {
                write(c);
            } else if (key.isReadable()) {
                read(c, now);
            }
        } catch (IOException e) {
            fail(c, e.getClass().getSimpleName());
        } catch (NumberFormatException e) { // a Content-Length, status or chunk size that is not a number
            fail(c, "IOException");
        }
    }

    private void read(Conn c, long now) throws IOException {
        while (true) {
            in.clear();
            int n = c.channel.read(in);
            if (n < 0) {
                eof(c, now);
                return;
            }
            if (n == 0) {
                return;
            }
            if (!c.busy) { // an idle connection should not be sent anything: drop it
                close(c);
                return;
            }
            c.bytesIn += n;
            in.flip();
            if (parse(c)) {
                done(c, now);
                return;
            }
            if (n < in.capacity()) {
                return;
            }
        }
    }

    /** The server closed the connection. */
    private void eof(Conn c, long now) {
        if (!c.busy) {
            close(c);
        } else if (c.phase == UNTIL_CLOSE) {
            c.close = true;
            done(c, now);
        } else if (c.bytesIn == 0 && c.reused && !c.retried) {
            // a keep-alive connection the server closed while it was idle: the request never reached it, send it again
            busy--;
            c.busy = false;
            pending.addFirst(-c.index - 1);
            close(c);
            dispatch(now);
        } else {
            fail(c, "EOFException");
        }
    }

    /** Reads the bytes in {@code in} into c's answer; true when the answer is complete. */
    private boolean parse(Conn c) throws IOException {
        while (in.hasRemaining()) {
            switch (c.phase) {
                case BODY, CHUNK_DATA -> {
                    int n = (int) Math.min(c.remaining, in.remaining());
                    in.position(in.position() + n);
                    c.remaining -= n;
                    if (c.remaining == 0) {
                        if (c.phase == BODY) {
                            c.phase = DONE;
                            return true;
                        }
                        c.phase = CHUNK_END;
                    }
                }
                case UNTIL_CLOSE -> in.position(in.limit());
                default -> {
                    byte b = in.get();
                    if (b != '\n') {
                        if (b != '\r') {
                            if (c.line.length() > 16 * 1024) {
                                throw new IOException("header line too long");
                            }
                            c.line.append((char) (b & 0xff));
                        }
                        continue;
                    }
                    String line = c.line.toString();
                    c.line.setLength(0);
                    if (line(c, line)) {
                        c.phase = DONE;
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** One line of the status line, headers, chunk sizes or trailers; true when the answer is complete. */
    private boolean line(Conn c, String line) throws IOException {
        switch (c.phase) {
            case STATUS -> {
                if (line.isEmpty()) {
                    return false;
                }
                if (!line.startsWith("HTTP/1.") || line.length() < 12) {
                    throw new IOException("not an HTTP/1.x status line: " + line);
                }
                c.status = Integer.parseInt(line.substring(9, 12));
                c.close = line.startsWith("HTTP/1.0");
                c.phase = HEADERS;
            }
            case HEADERS -> {
                if (!line.isEmpty()) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        String name = line.substring(0, colon).trim();
                        String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                        if (name.equalsIgnoreCase("content-length")) {
                            c.contentLength = Long.parseLong(value);
                        } else if (name.equalsIgnoreCase("transfer-encoding")) {
                            c.chunked = value.endsWith("chunked");
                        } else if (name.equalsIgnoreCase("connection")) {
                            if (value.contains("close")) {
                                c.close = true;
                            } else if (value.contains("keep-alive")) {
                                c.close = false;
                            }
                        }
                    }
                    return false;
                }
                if (c.status / 100 == 1) { // an interim answer (100 Continue): the real one follows
                    c.phase = STATUS;
                    c.contentLength = -1;
                    c.chunked = false;
                    return false;
                }
                if (c.status == 204 || c.status == 304) {
                    return true;
                }
                if (c.chunked) {
                    c.phase = CHUNK_SIZE;
                } else if (c.contentLength >= 0) {
                    if (c.contentLength == 0) {
                        return true;
                    }
                    c.remaining = c.contentLength;
                    c.phase = BODY;
                } else {
                    c.phase = UNTIL_CLOSE;
                }
            }
            case CHUNK_SIZE -> {
                int semicolon = line.indexOf(';');
                long size = Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
                if (size == 0) {
                    c.phase = TRAILERS;
                } else {
                    c.remaining = size;
                    c.phase = CHUNK_DATA;
                }
            }
            case CHUNK_END -> {
                if (!line.isEmpty()) {
                    throw new IOException("no CRLF after a chunk");
                }
                c.phase = CHUNK_SIZE;
            }
            case TRAILERS -> {
                return line.isEmpty();
            }
            default -> throw new IllegalStateException("phase " + c.phase);
        }
        return false;
    }

    /** The answer on c is complete: count it, then keep the connection for the next request or close it. */
    private void done(Conn c, long now) {
        long due = start + c.index * interval;
        if (due >= measureFrom) {
            if (c.status / 100 == 2) {
                completed++;
                long micros = Math.max(1, (now - due) / 1000);
                histogram.recordValue(micros);
                if (micros > slowMicros) {
                    slow.add(new long[] {(due + epochNanosOffset) / 1_000_000L, micros / 1000});
                }
            } else {
                // a refusal (503 from the app's load shedding, say) is counted by status, not timed: its fast
                // answer would lower the percentiles of the pages actually served
                non2xx++;
                statuses.merge(c.status, 1L, Long::sum);
            }
        }
        c.busy = false;
        busy--;
        c.reused = true;
        if (c.close) {
            close(c);
        } else {
            idle.addLast(c);
        }
        dispatch(now);
    }

    /** The request on c failed: count the error (if measured) and close the connection. */
    private void fail(Conn c, String kind) {
        if (c.busy) {
            c.busy = false;
            busy--;
            if (start + c.index * interval >= measureFrom) {
                errors++;
                errorKinds.merge(kind, 1L, Long::sum);
            }
        }
        close(c);
    }

    /** Fails the requests that have waited longer than --timeout for their answer. */
    private void expire(long now) {
        List<Conn> late = null;
        for (SelectionKey key : selector.keys()) {
            Conn c = (Conn) key.attachment();
            if (c != null && c.busy && now - c.deadline >= 0) {
                (late == null ? late = new ArrayList<>() : late).add(c);
            }
        }
        if (late != null) {
            for (Conn c : late) {
                fail(c, c.connected ? "HttpTimeoutException" : "HttpConnectTimeoutException");
            }
            dispatch(now);
        }
    }

    private void close(Conn c) {
        if (c.channel == null || !c.channel.isOpen()) {
            return;
        }
        idle.remove(c);
        open--;
        try {
            c.channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
