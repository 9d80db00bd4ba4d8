package org.roundtable.thread.markdown;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.commonmark.node.CustomNode;
import org.commonmark.node.Node;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlWriter;

/** An {@code @username} mention of a known member, inserted into the AST by {@link PostTransformer}. */
final class MentionNode extends CustomNode {

    /** Lowercased username, matches {@code [a-z0-9_.-]{2,30}}. */
    final String username;
    /** The text as the author typed it (without the {@code @}). */
    final String display;

    MentionNode(String username, String display) {
        this.username = username;
        this.display = display;
    }

    /** Renders {@code <a class="mention" href="/members/{username}">@Display</a>}. */
    static final class HtmlRenderer implements NodeRenderer {
        private final HtmlWriter html;

        HtmlRenderer(HtmlNodeRendererContext context) {
            this.html = context.getWriter();
        }

        @Override
        public Set<Class<? extends Node>> getNodeTypes() {
            return Set.of(MentionNode.class);
        }

        @Override
        public void render(Node node) {
            MentionNode mention = (MentionNode) node;
            Map<String, String> attrs = new LinkedHashMap<>();
            attrs.put("href", "/members/" + mention.username);
            attrs.put("class", "mention");
            html.tag("a", attrs);
            html.text("@" + mention.display);
            html.tag("/a");
        }
    }
}
