//! Certificates: the owner's printable page and the public verification page.
use super::param;
use crate::courses::api::{get_certificate, verify_certificate};
use crate::courses::model::Certificate;
use crate::i18n::{Msg, fill, t};
use crate::ui::errors::or_error_page;
use crate::ui::errors::signed_in_or_redirect;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
fn CertificateBody(c: Certificate) -> impl IntoView {
    view! {
        <dl class="certificate-facts">
            <dt>{t(Msg::CoursesCertLearner)}</dt>
            <dd class="certificate-name">{c.learner_name.clone()}</dd>
            <dt>{t(Msg::CoursesCertCourse)}</dt>
            <dd>{c.course_title.clone()}</dd>
            <dt>{t(Msg::CoursesCertOrganisation)}</dt>
            <dd>{c.organisation_name.clone()}</dd>
            <dt>{t(Msg::CoursesCertHours)}</dt>
            <dd>{c.hours}</dd>
            <dt>{t(Msg::CoursesCertDate)}</dt>
            <dd><time datetime=c.issued_on.clone()>{c.issued_on.clone()}</time></dd>
        </dl>
    }
}

/// `/certificates/{code}`: printable (print styles hide the site's frame).
#[component]
pub fn CertificatePage() -> impl IntoView {
    let code = param("code");
    let data = Resource::new(code, get_certificate);
    view! {
        <Title text=t(Msg::CoursesCertTitle) />
        <section class="wrap page narrow">
            <Suspense>
                {move || Suspend::new(async move {
                    signed_in_or_redirect(data.await, |c| {
                        let verify = format!("/verify/{}", c.code);
                        let pdf = format!("/certificates/{}/certificate.pdf", c.code);
                        view! {
                            <article class="certificate">
                                <h1>{t(Msg::CoursesCertTitle)}</h1>
                                <p class="lead">{fill(t(Msg::CoursesCertText), &[("name", &c.learner_name), ("course", &c.course_title)])}</p>
                                <CertificateBody c=c.clone() />
                                <p class="certificate-verify">
                                    {t(Msg::CoursesCertVerifyAt)} " " <a href=verify.clone()>{verify.clone()}</a>
                                </p>
                            </article>
                            <p class="no-print">
                                <a class="button primary" href=pdf type="application/pdf" rel="external" download=format!("certificate-{}.pdf", c.code)>{t(Msg::CoursesCertDownloadPdf)}</a>
                            </p>
                            <p class="no-print hint">{t(Msg::CoursesCertPrintHint)}</p>
                        }
                    })
                })}
            </Suspense>
        </section>
    }
}

/// `/verify/{code}`: anyone; only what the certificate shows.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let code = param("code");
    let data = Resource::new(code, verify_certificate);
    view! {
        <section class="wrap page narrow">
            <Suspense>
                {move || Suspend::new(async move {
                    or_error_page(data.await, |c| view! {
                        <Title text=t(Msg::CoursesVerifyTitle) />
                        <h1>{t(Msg::CoursesVerifyTitle)}</h1>
                        <p class="form-note" role="status">{t(Msg::CoursesVerifyValid)}</p>
                        <CertificateBody c />
                    })
                })}
            </Suspense>
        </section>
    }
}
