package org.roundtable.security;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** The secret behind the links Roundtable signs itself (cohort invitations; later unsubscribe and digest links). */
@ConfigMapping(prefix = "roundtable.tokens")
public interface TokenConfig {

    /**
     * HMAC-SHA256 key for signed links, at least 32 bytes as hex or base64. Required in production (the app refuses to
     * start without it); in dev and test a random key of the process is used when it is not set. Rotating it makes
     * every link handed out so far invalid.
     */
    Optional<String> secret();
}
