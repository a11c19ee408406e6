//! The rule pages a card's `source.url` points to (`{public_url}/rules/{RULE-ID}`): the rule's
//! title, kind and statement, its sources with their references and links, and the versions,
//! all from the engine's catalogue (`rules`). Plain HTML, no script; everything from the
//! catalogue is escaped.

use serde_json::Value;

use crate::engine::Engine;

/// HTML-escapes text.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;\
padding:0 1rem;line-height:1.5;color:#1a1a1a}h1{font-size:1.5rem}code{font-size:1rem}\
.kind{color:#555}dt{font-weight:600;margin-top:.75rem}footer{margin-top:2rem;color:#555;\
font-size:.9rem}table{border-collapse:collapse}td{padding:.2rem .6rem;vertical-align:top}";

fn page(title: &str, body: &str, engine: &Engine) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{}</title><style>{STYLE}</style></head><body>{body}<footer>IPT protocol {} · engine {} \
· this page is decision support material, not a decision.</footer></body></html>\n",
        escape(title),
        escape(&engine.protocol_version),
        escape(&engine.engine_version),
    )
}

fn sources_of(engine: &Engine) -> &[Value] {
    engine.catalogue["sources"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn source_item(engine: &Engine, cited: &str) -> String {
    // "S1 §II.G": the key, then the place in the source.
    let key = cited.split_whitespace().next().unwrap_or(cited);
    let Some(src) = sources_of(engine)
        .iter()
        .find(|s| s["key"].as_str() == Some(key))
    else {
        return format!(
            "<dt>{}</dt><dd>(not in the bibliography)</dd>",
            escape(cited)
        );
    };
    let mut dd = escape(src["reference"].as_str().unwrap_or_default());
    if let Some(url) = src["url"].as_str() {
        let u = escape(url);
        dd.push_str(&format!(
            " <a href=\"{u}\" rel=\"noopener noreferrer\">{u}</a>"
        ));
    }
    if let Some(see) = src["see_also"].as_str() {
        if let Some(other) = sources_of(engine)
            .iter()
            .find(|s| s["key"].as_str() == Some(see))
        {
            dd.push_str(&format!(
                "<br>See also {}: {}",
                escape(see),
                escape(other["reference"].as_str().unwrap_or_default())
            ));
        }
    }
    format!("<dt>{}</dt><dd>{dd}</dd>", escape(cited))
}

/// The page of one rule, or `None` when the catalogue has no such rule.
pub fn rule_page(engine: &Engine, id: &str) -> Option<String> {
    let rule = engine.rule(id)?;
    let title = rule["title"].as_str().unwrap_or_default();
    let sources: String = rule["sources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|s| source_item(engine, s))
        .collect();
    let body = format!(
        "<p><a href=\"../rules\">All rules</a></p><h1><code>{}</code> {}</h1>\
<p class=\"kind\">{}</p><p>{}</p><h2>Sources</h2><dl>{sources}</dl>",
        escape(id),
        escape(title),
        escape(rule["kind"].as_str().unwrap_or_default()),
        escape(rule["statement"].as_str().unwrap_or_default()),
    );
    Some(page(&format!("{id} · {title}"), &body, engine))
}

/// The list of every rule.
pub fn index_page(engine: &Engine) -> String {
    let rows: String = engine.catalogue["rules"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            let id = escape(r["id"].as_str().unwrap_or_default());
            format!(
                "<tr><td><a href=\"rules/{id}\"><code>{id}</code></a></td><td>{}</td><td class=\"kind\">{}</td></tr>",
                escape(r["title"].as_str().unwrap_or_default()),
                escape(r["kind"].as_str().unwrap_or_default())
            )
        })
        .collect();
    page(
        "IPT protocol rules",
        &format!("<h1>IPT protocol rules</h1><table>{rows}</table>"),
        engine,
    )
}

/// The page for a rule the catalogue does not have.
pub fn not_found_page(engine: &Engine, id: &str) -> String {
    page(
        "No such rule",
        &format!(
            "<h1>No such rule</h1><p>The protocol has no rule <code>{}</code>. \
<a href=\"../rules\">All rules</a>.</p>",
            escape(id)
        ),
        engine,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_page_has_its_statement_sources_links_and_version() {
        let e = Engine::load().unwrap();
        let p = rule_page(&e, "C-PSYCHOSIS").unwrap();
        assert!(p.contains("Active psychosis is a contraindication to IPT."));
        assert!(p.contains("Los Angeles County Department of Mental Health"));
        assert!(p.contains(&format!("IPT protocol {}", e.protocol_version)));
        let d = rule_page(&e, "D-CODE-MAP").unwrap();
        assert!(d.contains("<a href=\"https://www.cdc.gov/nchs/icd/icd-10-cm/index.html\""));
        assert!(rule_page(&e, "NOPE").is_none());
        assert!(index_page(&e).contains("href=\"rules/X-SUICIDE\""));
        assert_eq!(escape("<a href='x'>&"), "&lt;a href=&#39;x&#39;&gt;&amp;");
        assert!(!not_found_page(&e, "<script>").contains("<script>"));
    }
}
