// The sample patient: the one of tests/vectors/course/V-STANDARD.complete_standard_16.json.
export const SAMPLE = {
  "assessment": {
    "age": 35,
    "care_setting": "outpatient",
    "diagnoses": [
      {
        "category": "major_depression",
        "course": "first_episode",
        "phase": "acute"
      }
    ],
    "findings": {
      "active_psychosis": "absent",
      "chronic_severe_illness": "absent",
      "cognitive_impairment": {
        "severity": "none"
      },
      "insight": "present",
      "motivation": "present",
      "personality_disorder": "absent",
      "self_reflection": "present",
      "substance_misuse": "absent",
      "suicide_risk": "low"
    },
    "format": "individual",
    "language_culture": {
      "cultural_adaptation_needed": "absent",
      "interpreter_needed": "absent"
    }
  },
  "inventory": {
    "life_events": [
      {
        "kind": "death",
        "months_before_onset": 3,
        "relationship": "father"
      }
    ],
    "long_standing_isolation": "absent",
    "onset_date": "2024-05-01",
    "prolonged_good_functioning": "present",
    "relationships": [
      {
        "closeness": 4,
        "conflict": "open",
        "conflict_onset_linked": "present",
        "dispute_stage": "renegotiation",
        "id": "partner",
        "long_history_of_difficulty": "absent",
        "person": "Sam",
        "role": "partner"
      },
      {
        "closeness": 5,
        "conflict": "none",
        "id": "father",
        "role": "parent"
      }
    ],
    "withdrawal_due_to_depression": "present"
  },
  "contract": {
    "format": "individual",
    "goals": [
      "fewer rows with Sam"
    ],
    "sessions": 16
  },
  "phq9": [
    18,
    null,
    null,
    15,
    null,
    null,
    null,
    11,
    null,
    null,
    null,
    8,
    null,
    5,
    7,
    6
  ]
};
