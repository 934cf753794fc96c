/** CSS lint for app/: the standard rules, plus no selector defined twice (a later copy silently overrides). */
export default {
  extends: ['stylelint-config-standard'],
  rules: {
    'no-duplicate-selectors': true,
    // Source order across different selectors is deliberate (a modifier after its base); only exact duplicates are errors.
    'no-descending-specificity': null,
    'declaration-block-no-duplicate-properties': true,
    // BEM-ish names with one hyphenated vocabulary: board-heal-stat, consensus-node-id.
    'selector-class-pattern': '^[a-z][a-z0-9]*(-[a-z0-9]+)*$',
    'keyframes-name-pattern': '^[a-z][a-z0-9]*(-[a-z0-9]+)*$',
  },
};
