package org.roundtable.support;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers the local stack for every @QuarkusTest of the run (one start, one stop). */
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = false)
public final class StackTestResources {
    private StackTestResources() {
    }
}
