//! The edit page's last section: deleting the whole course, for a course no learner ever
//! enrolled in, after the teacher types its title (a plain form, working without JavaScript).
use crate::courses::api::DeleteCourse;
use crate::i18n::{Msg, t};
use crate::ui::form::{Field, FollowSuccess, FormAlert, last_error};
use leptos::prelude::*;

#[component]
pub fn DeleteCourseSection(slug: String, has_learners: bool) -> impl IntoView {
    let delete = ServerAction::<DeleteCourse>::new();
    let error = last_error(delete.value());
    view! {
        <section aria-labelledby="delete-course-heading" class="danger-zone">
            <h2 id="delete-course-heading">{t(Msg::CoursesDeleteHeading)}</h2>
            {if has_learners {
                view! { <p>{t(Msg::CoursesDeleteHasLearners)}</p> }.into_any()
            } else {
                view! {
                    <p>{t(Msg::CoursesDeleteLead)}</p>
                    <FormAlert error />
                    <ActionForm action=delete attr:class="form">
                        <input type="hidden" name="slug" value=slug />
                        <Field name="confirm_title" field="confirm_title" label=Msg::CoursesDeleteConfirm required=true error />
                        <button type="submit" class="button danger">{t(Msg::CoursesDeleteButton)}</button>
                    </ActionForm>
                }
                .into_any()
            }}
        </section>
        <FollowSuccess value=delete.value() />
    }
}
