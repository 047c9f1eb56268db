//! The SOC 2 profile editor on the library page: the report's type, dates, scope, auditor,
//! bridge letter, how to ask for it, exceptions and subservice organisations. Saving checks
//! the profile and says in words what is wrong; the report answers follow it at once.

use crate::state::AppState;
use leptos::prelude::*;
use std::collections::BTreeSet;
use trustfill_core::criteria::Category;
use trustfill_core::library::profile::{BridgeLetter, ReportType, Soc2Profile, SubserviceMethod, SubserviceOrg};

/// A subservice organisation as one line of text: `Name | carve-out` or `Name | inclusive`.
fn org_line(org: &SubserviceOrg) -> String {
    let method = match org.method {
        SubserviceMethod::CarveOut => "carve-out",
        SubserviceMethod::Inclusive => "inclusive",
    };
    format!("{} | {method}", org.name)
}

fn parse_org(line: &str) -> Option<SubserviceOrg> {
    let (name, method) = line.rsplit_once('|').map_or((line, ""), |(n, m)| (n, m));
    let name = name.trim();
    (!name.is_empty()).then(|| SubserviceOrg {
        name: name.to_owned(),
        method: if method.trim().eq_ignore_ascii_case("inclusive") {
            SubserviceMethod::Inclusive
        } else {
            SubserviceMethod::CarveOut
        },
    })
}

fn optional(text: String) -> Option<String> {
    let text = text.trim().to_owned();
    (!text.is_empty()).then_some(text)
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

#[component]
pub fn ProfileEditor() -> impl IntoView {
    let state = expect_context::<AppState>();
    let current = state.library.with_value(|lib| lib.profile().cloned());
    let p = current.clone().unwrap_or(Soc2Profile {
        report_type: ReportType::TypeII,
        as_of: None,
        period_start: None,
        period_end: None,
        categories: [Category::Security].into_iter().collect(),
        system: String::new(),
        auditor: String::new(),
        report_date: String::new(),
        bridge_letter: None,
        how_to_request: String::new(),
        exceptions: Vec::new(),
        subservice_organisations: Vec::new(),
    });
    let type_ii = RwSignal::new(p.report_type == ReportType::TypeII);
    let as_of = RwSignal::new(p.as_of.clone().unwrap_or_default());
    let start = RwSignal::new(p.period_start.clone().unwrap_or_default());
    let end = RwSignal::new(p.period_end.clone().unwrap_or_default());
    let categories = RwSignal::new(p.categories.clone());
    let system = RwSignal::new(p.system.clone());
    let auditor = RwSignal::new(p.auditor.clone());
    let report_date = RwSignal::new(p.report_date.clone());
    let bridge_start = RwSignal::new(p.bridge_letter.as_ref().map(|b| b.start.clone()).unwrap_or_default());
    let bridge_end = RwSignal::new(p.bridge_letter.as_ref().map(|b| b.end.clone()).unwrap_or_default());
    let request = RwSignal::new(p.how_to_request.clone());
    let exceptions = RwSignal::new(p.exceptions.join("\n"));
    let orgs = RwSignal::new(p.subservice_organisations.iter().map(org_line).collect::<Vec<_>>().join("\n"));
    let problems = RwSignal::new(Vec::<String>::new());
    let summary = RwSignal::new(current.as_ref().map(trustfill_core::library::profile::summary));

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let is_type_ii = type_ii.get_untracked();
        let profile = Soc2Profile {
            report_type: if is_type_ii { ReportType::TypeII } else { ReportType::TypeI },
            as_of: if is_type_ii { None } else { optional(as_of.get_untracked()) },
            period_start: if is_type_ii { optional(start.get_untracked()) } else { None },
            period_end: if is_type_ii { optional(end.get_untracked()) } else { None },
            categories: categories.get_untracked(),
            system: system.get_untracked().trim().to_owned(),
            auditor: auditor.get_untracked().trim().to_owned(),
            report_date: report_date.get_untracked().trim().to_owned(),
            bridge_letter: match (optional(bridge_start.get_untracked()), optional(bridge_end.get_untracked())) {
                (None, None) => None,
                (s, e) => Some(BridgeLetter { start: s.unwrap_or_default(), end: e.unwrap_or_default() }),
            },
            how_to_request: request.get_untracked().trim().to_owned(),
            exceptions: lines(&exceptions.get_untracked()),
            subservice_organisations: lines(&orgs.get_untracked()).iter().filter_map(|l| parse_org(l)).collect(),
        };
        let found: Vec<String> = profile.validate().iter().map(|p| p.message()).collect();
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        problems.set(Vec::new());
        summary.set(Some(trustfill_core::library::profile::summary(&profile)));
        state.set_profile(profile);
    };
    let category_box = move |category: Category| {
        let locked = category == Category::Security;
        view! {
            <label class="tf-check">
                <input type="checkbox" data-testid=format!("scope-{}", category.name().to_lowercase().replace(' ', "-"))
                    disabled=locked
                    prop:checked=move || categories.with(|c| c.contains(&category))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        categories.update(|c: &mut BTreeSet<Category>| { if on { c.insert(category); } else { c.remove(&category); } });
                    } />
                {format!(" {}{}", category.name(), if locked { " (always)" } else { "" })}
            </label>
        }
    };
    let text_field = move |label: &'static str, test_id: &'static str, value: RwSignal<String>, hint: &'static str| {
        view! {
            <label class="tf-field">
                <span class="tf-field-label">{label}</span>
                <input type="text" data-testid=test_id prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
                {(!hint.is_empty()).then(|| view! { <span class="tf-field-hint">{hint}</span> })}
            </label>
        }
    };
    view! {
        <form class="tf-entry-editor tf-profile" data-testid="profile-editor" on:submit=save aria-label="SOC 2 profile">
            <p class="tf-muted">"The SOC 2 report as it is. Answers about the report are written from it, and every answer's controls are checked against its scope."</p>
            {move || summary.get().map(|s| view! { <p class="tf-soc2" data-testid="profile-summary">{s}</p> })}
            {move || (!problems.get().is_empty()).then(|| view! {
                <div class="tf-form-problems" role="alert" data-testid="profile-problems">
                    <p>"The profile was not saved:"</p>
                    <ul>{problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                </div>
            })}
            <fieldset class="tf-import-mode">
                <legend>"Report type"</legend>
                <label><input type="radio" name="report-type" data-testid="type-ii" prop:checked=move || type_ii.get() on:change=move |_| type_ii.set(true) />" Type II: controls tested over a period"</label>
                <label><input type="radio" name="report-type" data-testid="type-i" prop:checked=move || !type_ii.get() on:change=move |_| type_ii.set(false) />" Type I: controls designed as of one date"</label>
            </fieldset>
            <div class="tf-form-grid">
                {move || if type_ii.get() {
                    view! {
                        {text_field("Period start", "period-start", start, "YYYY-MM-DD")}
                        {text_field("Period end", "period-end", end, "YYYY-MM-DD")}
                    }.into_any()
                } else {
                    text_field("As of", "as-of", as_of, "YYYY-MM-DD").into_any()
                }}
                {text_field("Report date", "report-date", report_date, "YYYY-MM-DD")}
                {text_field("Auditor", "auditor", auditor, "")}
                {text_field("Bridge letter from", "bridge-start", bridge_start, "Leave both empty when there is none.")}
                {text_field("Bridge letter to", "bridge-end", bridge_end, "")}
            </div>
            <fieldset class="tf-import-mode" data-testid="profile-categories">
                <legend>"Trust Services Categories in scope"</legend>
                {Category::ALL.into_iter().map(category_box).collect_view()}
            </fieldset>
            <div class="tf-form-grid">
                <label class="tf-field"><span class="tf-field-label">"System in scope"</span>
                    <textarea rows="3" data-testid="profile-system" prop:value=move || system.get() on:input=move |ev| system.set(event_target_value(&ev))></textarea></label>
                <label class="tf-field"><span class="tf-field-label">"How to request the report"</span>
                    <textarea rows="3" data-testid="profile-request" prop:value=move || request.get() on:input=move |ev| request.set(event_target_value(&ev))></textarea></label>
                <label class="tf-field"><span class="tf-field-label">"Exceptions noted"</span>
                    <textarea rows="3" data-testid="profile-exceptions" prop:value=move || exceptions.get() on:input=move |ev| exceptions.set(event_target_value(&ev))></textarea>
                    <span class="tf-field-hint">"One per line; empty when the auditor noted none."</span></label>
                <label class="tf-field"><span class="tf-field-label">"Subservice organisations"</span>
                    <textarea rows="3" data-testid="profile-subservice" prop:value=move || orgs.get() on:input=move |ev| orgs.set(event_target_value(&ev))></textarea>
                    <span class="tf-field-hint">"One per line: Name | carve-out, or Name | inclusive."</span></label>
            </div>
            <div class="tf-actions">
                <button class="tf-button tf-primary" type="submit" data-testid="save-profile">"Save profile"</button>
            </div>
        </form>
    }
}
