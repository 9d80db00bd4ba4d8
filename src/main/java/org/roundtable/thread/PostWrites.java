package org.roundtable.thread;

import jakarta.inject.Singleton;

/**
 * The thread feature's writes, one class per action, for the page and the API that offer them all: new threads and
 * replies ({@link PostCreator}), edits ({@link PostRevisor}), deletions ({@link PostDestroyer}), reactions
 * ({@link Reactions}), accepted answers ({@link AcceptedAnswers}), and the renderer of previews ({@link PostRenderer}).
 */
@Singleton
public class PostWrites {

    private final PostCreator creator;
    private final PostRevisor revisor;
    private final PostDestroyer destroyer;
    private final Reactions reactions;
    private final AcceptedAnswers answers;
    private final PostRenderer renderer;

    PostWrites(PostCreator creator, PostRevisor revisor, PostDestroyer destroyer, Reactions reactions,
            AcceptedAnswers answers, PostRenderer renderer) {
        this.creator = creator;
        this.revisor = revisor;
        this.destroyer = destroyer;
        this.reactions = reactions;
        this.answers = answers;
        this.renderer = renderer;
    }

    PostCreator creator() {
        return creator;
    }

    PostRevisor revisor() {
        return revisor;
    }

    PostDestroyer destroyer() {
        return destroyer;
    }

    Reactions reactions() {
        return reactions;
    }

    AcceptedAnswers answers() {
        return answers;
    }

    PostRenderer renderer() {
        return renderer;
    }
}
