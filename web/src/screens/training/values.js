// values.js: the lists of the server's values the training screens keep,
// in a module of its own (no catalogs imported) so that
// web/tests/schema.test.js can compare them with the server's document.

/** The assessment methods a new event offers: the server's enum (assessment.method), in its order. */
export const METHODS = ['observation', 'practical_task', 'oral_questions', 'portfolio', 'recognition_of_prior_learning'];
