/**
 * Function words for METEOR's content/function weighting (δ = 0.75). Meteor 1.5 ships a
 * frequency-derived English list; this project maintains its own closed-class list (articles,
 * pronouns, prepositions, conjunctions, auxiliaries, common adverbs of degree/negation) plus the
 * punctuation tokens its normaliser produces. See the README for how this affects scores.
 */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  `a an the this that these those some any all each every either neither both no none
   i me my mine you your yours he him his she her hers it its we us our ours they them their theirs
   who whom whose which what whatever whoever where when why how there here
   of in on at to from by with without for about above below over under into onto upon out up down off
   through across along among around before after behind beside besides between beyond during except
   inside outside near since until till toward towards via within per than as like unlike
   and or but nor so yet if then else because although though while whereas whether unless once
   be am is are was were been being have has had having do does did doing done
   will would shall should can could may might must ought
   not n't 's 't 'd 'll 're 've 'm also too very just only even still again
   more most less least much many few such other another same own
   , . ; : ? ! ' " \` ( ) [ ] { } - -- ... / & % $ # @ * + = < > -lrb- -rrb-`.split(/\s+/).filter((w) => w !== ''),
);
