// Benchmark helper for "replies to anonymous posts" (bench/anonymity/run). Single file, run with the JDK's
// source launcher; no project classes. The pseudonym is computed exactly as in
// src/main/java/org/roundtable/anonymity/Pseudonyms.java#of: HMAC-SHA256(key, member id ‖ thread id), both as
// 8-byte big-endian, hex-encoded, with a fresh Mac per call as the app does.
//
//   java bench/anonymity/Pseudonyms.java <hexkey> <memberId> <threadId...>      prints thread_id,pseudonym lines
//   java bench/anonymity/Pseudonyms.java <hexkey> <memberId> @<file>           thread ids one a line from a file
//   java bench/anonymity/Pseudonyms.java <hexkey> <memberId> --time <reps> <N...>
//        times computing the pseudonyms of N threads (ids 1..N) as NotificationService does (a String[] of
//        N hex pseudonyms), after a warm-up; prints "N,median_ms,min_ms" lines
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class Pseudonyms {

    static SecretKeySpec key;

    static String of(long memberId, long threadId) throws Exception {
        ByteBuffer input = ByteBuffer.allocate(16).putLong(memberId).putLong(threadId);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(key);
        return HexFormat.of().formatHex(mac.doFinal(input.array()));
    }

    static String[] all(long memberId, List<Long> threads) throws Exception {
        // what repliesToMyAnonymousPosts does: threads.stream().map(id -> pseudonyms.of(viewer.id(), id)).toArray
        String[] out = new String[threads.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = of(memberId, threads.get(i));
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: Pseudonyms <hexkey> <memberId> (<threadId...> | @file | --time <reps> <N...>)");
            System.exit(2);
        }
        key = new SecretKeySpec(HexFormat.of().parseHex(args[0]), "HmacSHA256");
        long member = Long.parseLong(args[1]);
        if (args[2].equals("--time")) {
            int reps = Integer.parseInt(args[3]);
            int[] sizes = Arrays.stream(args, 4, args.length).mapToInt(Integer::parseInt).toArray();
            int max = Arrays.stream(sizes).max().orElse(0);
            List<Long> ids = new ArrayList<>();
            for (long i = 1; i <= max; i++) {
                ids.add(1_000_000L + i);
            }
            long sink = 0;
            // warm-up: JIT compiles Mac/HexFormat paths (about 200,000 HMACs)
            for (int w = 0; w < Math.max(1, 200_000 / Math.max(1, max)); w++) {
                sink += all(member, ids).length;
            }
            for (int n : sizes) {
                List<Long> sub = ids.subList(0, n);
                double[] ms = new double[reps];
                for (int r = 0; r < reps; r++) {
                    long t0 = System.nanoTime();
                    sink += all(member, sub)[n - 1].length();
                    ms[r] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(ms);
                System.out.printf("%d,%.3f,%.3f%n", n, ms[reps / 2], ms[0]);
            }
            if (sink == 42) {
                System.err.println();
            }
            return;
        }
        List<Long> threads = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            if (args[i].startsWith("@")) {
                for (String line : Files.readAllLines(Path.of(args[i].substring(1)))) {
                    if (!line.isBlank()) {
                        threads.add(Long.parseLong(line.strip()));
                    }
                }
            } else {
                threads.add(Long.parseLong(args[i]));
            }
        }
        StringBuilder out = new StringBuilder();
        String[] p = all(member, threads);
        for (int i = 0; i < p.length; i++) {
            out.append(threads.get(i)).append(',').append(p[i]).append('\n');
        }
        System.out.print(out);
    }
}
