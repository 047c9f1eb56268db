//! The "why this answer" panel: the matched phrasing, the terms and synonyms, and the score.

use leptos::prelude::*;
use trustfill_core::matching::Suggestion;

#[component]
pub fn ExplainPanel(suggestion: Suggestion) -> impl IntoView {
    let e = suggestion.explanation;
    let parts = e.parts.clone();
    view! {
        <div class="tf-explain" data-testid="explain-panel">
            <h3>"Why this answer"</h3>
            <p>
                "Matched phrasing: "
                <q>{e.matched_phrasing.clone().unwrap_or_else(|| "(matched on the answer text only)".into())}</q>
            </p>
            <p>
                {format!(
                    "Confidence {:.0}%: the phrasing covers {:.0}% of the question's weighted terms, the question covers {:.0}% of the phrasing's, and this answer leads the next by {:.2}. Ranking score {:.2}.",
                    suggestion.confidence * 100.0, e.features.question_coverage * 100.0, e.features.phrasing_coverage * 100.0, e.features.gap, e.score
                )}
            </p>
            <table class="tf-terms">
                <thead><tr><th scope="col">"Question words"</th><th scope="col">"Matched as"</th><th scope="col">"Field"</th><th scope="col">"Weight"</th><th scope="col">"Score"</th></tr></thead>
                <tbody>
                    {parts.into_iter().map(|p| view! {
                        <tr>
                            <td>{p.question_words}</td>
                            <td>{p.synonym_group.map(|g| format!("synonym group “{g}”")).unwrap_or_else(|| format!("word “{}”", p.term))}</td>
                            <td>{p.field}</td>
                            <td>{format!("{:.2}", p.idf)}</td>
                            <td>{format!("{:.2}", p.contribution)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {(!e.unmatched.is_empty()).then(|| view! { <p class="tf-muted">{format!("Not found in this entry: {}", e.unmatched.join(", "))}</p> })}
            {(!e.corrections.is_empty()).then(|| view! {
                <p class="tf-muted">{format!("Read as typos: {}", e.corrections.iter().map(|(a, b)| format!("{a} → {}", b.trim_start_matches('~'))).collect::<Vec<_>>().join(", "))}</p>
            })}
            {e.semantic.clone().map(|s| view! {
                <p data-testid="explain-semantic">
                    "Similar in meaning to: "
                    <q>{s.phrasing}</q>
                    {format!(" (cosine similarity {:.2}, from the meaning model on this machine)", s.similarity)}
                </p>
            })}
            {e.polarity_warning.map(|w| view! { <p class="tf-warning" role="note">{w}</p> })}
        </div>
    }
}
