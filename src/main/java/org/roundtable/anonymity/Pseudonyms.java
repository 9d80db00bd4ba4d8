package org.roundtable.anonymity;

import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pseudonyms of the undiscussables: {@code HMAC-SHA256(anonymity key, member id ‖ thread id)}. Stable inside one
 * thread, unlinkable across threads without the key; the key lives in configuration, never in the database. The
 * server proves authorship by recomputing the pseudonym, so no row ever names the author.
 */
@ApplicationScoped
public class Pseudonyms {

    private static final String HMAC = "HmacSHA256";
    private static final List<String> COLOURS = List.of("Amber", "Azure", "Coral", "Indigo", "Jade", "Ivory", "Olive",
            "Ruby", "Sable", "Slate", "Teal", "Umber", "Violet", "Saffron", "Silver", "Copper");
    private static final List<String> ANIMALS = List.of("Heron", "Otter", "Lynx", "Marten", "Falcon", "Badger",
            "Crane", "Wren", "Ibex", "Puffin", "Bison", "Egret", "Fox", "Gecko", "Hare", "Kestrel", "Lemur", "Moose",
            "Newt", "Osprey", "Panda", "Quail", "Raven", "Seal", "Tapir", "Viper", "Walrus", "Yak", "Zebra", "Alpaca",
            "Beaver", "Condor", "Dolphin", "Ermine", "Finch", "Gazelle", "Hedgehog", "Impala", "Jackal", "Koala",
            "Lark", "Magpie", "Narwhal", "Ocelot", "Pelican", "Robin", "Stork", "Toucan", "Urchin", "Vole", "Weasel",
            "Sparrow", "Owl", "Mole", "Swift", "Tern", "Plover", "Bittern", "Curlew", "Dunlin", "Gannet", "Linnet",
            "Merlin", "Shrike");

    private final SecretKeySpec key;
    private final SecretKeySpec counterKey;

    public Pseudonyms(AnonymityConfig config) {
        byte[] secret = config.key().filter(k -> !k.isBlank()).map(Pseudonyms::decode).orElse(null);
        if (secret == null) {
            if (LaunchMode.current() == LaunchMode.NORMAL) {
                throw new IllegalStateException("roundtable.anonymity.key (ROUNDTABLE_ANONYMITY_KEY) is not set: the "
                        + "undiscussables need a secret of at least 32 bytes (e.g. `openssl rand -hex 32`). Refusing to start.");
            }
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            Log.warn("No roundtable.anonymity.key set: using a random key for this process only (dev/test). "
                    + "Pseudonyms will change at the next start.");
        }
        if (secret.length < 32) {
            throw new IllegalStateException("roundtable.anonymity.key is too short: it needs at least 32 bytes of secret "
                    + "(64 hex characters). Refusing to start.");
        }
        this.key = new SecretKeySpec(secret, HMAC);
        // A key of its own for rate-limit counters, derived so that counters and pseudonyms never collide.
        this.counterKey = new SecretKeySpec(mac(this.key, "roundtable/rate-counters".getBytes(StandardCharsets.UTF_8)), HMAC);
    }

    void checkAtStart(@Observes StartupEvent event) {
        // constructing the bean validates the key; observing start-up makes a missing key stop the app at once
    }

    /** The pseudonym of a member in a thread (64 hex characters). */
    public String of(long memberId, long threadId) {
        ByteBuffer input = ByteBuffer.allocate(16).putLong(memberId).putLong(threadId);
        return HexFormat.of().formatHex(mac(key, input.array()));
    }

    /** A readable handle of a pseudonym: "Anonymous · Amber Heron". */
    public static String handle(String pseudonym) {
        byte[] bytes = HexFormat.of().parseHex(pseudonym.substring(0, 8));
        int colour = Byte.toUnsignedInt(bytes[0]) % COLOURS.size();
        int animal = ((Byte.toUnsignedInt(bytes[1]) << 8) | Byte.toUnsignedInt(bytes[2])) % ANIMALS.size();
        return "Anonymous · " + COLOURS.get(colour) + " " + ANIMALS.get(animal);
    }

    /** A counter key for a member and a time window that names neither (rate limits of anonymous posting). */
    public byte[] counterKey(long memberId, String purpose, long window) {
        ByteBuffer input = ByteBuffer.allocate(16 + purpose.length()).putLong(memberId).putLong(window)
                .put(purpose.getBytes(StandardCharsets.US_ASCII));
        return mac(counterKey, input.array());
    }

    private static byte[] mac(SecretKeySpec key, byte[] input) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] decode(String value) {
        String v = value.strip();
        if (v.matches("[0-9a-fA-F]+") && v.length() % 2 == 0) {
            return HexFormat.of().parseHex(v);
        }
        return Base64.getDecoder().decode(v);
    }
}
