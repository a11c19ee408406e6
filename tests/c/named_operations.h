/* The named function of every operation that takes a request, generated from
 * ipt_core::api::Operation by ipt-ffi/tests/operations.rs (do not edit by hand). */
static const struct { const char *name; IptResult (*fn)(const char *); } NAMED[] = {
    {"assess_suitability", ipt_assess_suitability},
    {"service_readiness", ipt_service_readiness},
    {"rank_problem_areas", ipt_rank_problem_areas},
    {"check_focus", ipt_check_focus},
    {"evaluate_measure", ipt_evaluate_measure},
    {"course_replay", ipt_course_replay},
    {"course_review", ipt_course_review},
    {"fhir_assess", ipt_fhir_assess},
    {"cds_hooks", ipt_cds_hooks},
    {"fhir_observations", ipt_fhir_observations},
};
