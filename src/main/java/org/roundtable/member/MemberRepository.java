package org.roundtable.member;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Members for the administrative reads (Hibernate Reactive); the login's upsert stays on the SQL client. */
@ApplicationScoped
public class MemberRepository implements PanacheRepositoryBase<Member, Long> {

    /** The member with this username (any case), or null. */
    public Uni<Member> byUsername(String username) {
        return find("lower(username) = lower(?1)", username).firstResult();
    }

    /**
     * Every member, or those whose name, username, job title, school or district hold {@code query} (any case; the
     * query's own {@code %}, {@code _} and {@code \} match themselves), by name; {@code limit} at most.
     */
    public Uni<List<Member>> directory(String query, int limit) {
        if (query.isEmpty()) {
            return find("order by lower(name), id").page(0, limit).list();
        }
        String pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return find("""
                name ilike :p escape '\\' or username ilike :p escape '\\' or title ilike :p escape '\\'
                  or school ilike :p escape '\\' or district ilike :p escape '\\'
                order by lower(name), id""", Parameters.with("p", pattern)).page(0, limit).list();
    }
}
