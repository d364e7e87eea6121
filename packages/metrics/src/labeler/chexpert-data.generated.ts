// GENERATED from packages/metrics/data/ by src/labeler/chexpert-data.test.ts
// (UPDATE_CHEXPERT_DATA=1 pnpm --filter @came-grad/metrics test). Do not edit by hand.
// phrases/: CheXpert labeler phrase files, MIT License, Copyright (c) 2018 Stanford Machine
// Learning Group; see data/chexpert/LICENSE and data/chexpert/NOTICE.
import type { CueLexiconFile } from './cue-lexicon-file';

/** Raw text of `data/chexpert/phrases/mention/<stem>.txt`, keyed by file stem. */
export const MENTION_FILES: Readonly<Record<string, string>> = {
  "atelectasis": "atelecta\ncollapse\n",
  "cardiomegaly": "cardiomegaly\nthe heart\nheart size\ncardiac enlargement\ncardiac size\ncardiac shadow\ncardiac contour\ncardiac silhouette\nenlarged heart",
  "consolidation": "consolidat",
  "edema": "edema\nheart failure\nchf\nvascular congestion\npulmonary congestion\nindistinctness\nvascular prominence",
  "enlarged_cardiomediastinum": "_mediastinum\ncardiomediastinum\ncontour\nmediastinal configuration\nmediastinal silhouette\npericardial silhouette\ncardiac silhouette and vascularity\n",
  "fracture": "fracture\n",
  "lung_lesion": "mass\nnodular density\nnodular densities\nnodular opacity\nnodular opacities\nnodular opacification\nnodule\nlump\ncavitary lesion\ncarcinoma\nneoplasm\ntumor\n",
  "lung_opacity": "opaci\ndecreased translucency\nincreased density\nairspace disease\nair-space disease\nair space disease\ninfiltrate\ninfiltration\ninterstitial marking\ninterstitial pattern\ninterstitial lung\nreticular pattern\nreticular marking\nreticulation\nparenchymal scarring\nperibronchial thickening\nwall thickening\nscar\n",
  "no_finding": "emphysema\nblunt\ndensity\nelevation\neventration\nscoliosis\ndegenera\ncalcifi\nhyperinflation\nbronchospasm\nasthma\nhernia\ncopd\ninterstitial markings\nplaque\nosteophytosis\naortic disease\nbronchiolitis\nairways disease\nthickening\ncephalization\naspiration\nbullae\nhyperinflat\ncontusion\natherosclero\nosteopenia\nmetastasis\ngranuloma\npneumomediastinum\npneumoperitoneum\nosteodystrophy\ncuffing\nirregular lucency\ninflam\nfissure\nhypertension\nprominen\nkyphosis\ndefib\nhyperexpansion\nbullet\nreticula\nthoracentesis\nbronchitis\nvolume loss\ndeformity\nhemorrhage\nhematoma\nradiopaque\naerophagia\narthropathy\ntracheostomy\n",
  "pleural_effusion": "pleural fluid\neffusion",
  "pleural_other": "pleural thickening\nfibrosis\nfibrothorax\npleural scar\npleural parenchymal scar\npleuro-parenchymal scar\npleuro-pericardial scar\n",
  "pneumonia": "pneumonia\ninfection\ninfectious process\ninfectious",
  "pneumothorax": "pneumothorax\npneumothoraces",
  "support_devices": "pacer\n_line_\nlines\npicc\ntube\nvalve\ncatheter\npacemaker\nhardware\narthroplast\nmarker\nicd\ndefib\ndevice\ndrain_\nplate\nscrew\ncannula\napparatus\ncoil\nsupport\nequipment\nmediport\n"
};

/** Raw text of `data/chexpert/phrases/unmention/<stem>.txt`, keyed by file stem. */
export const UNMENTION_FILES: Readonly<Record<string, string>> = {
  "lung_lesion": "calcified nodul\nmassive\nmassengale",
  "lung_opacity": "pleural scar\n",
  "pleural_effusion": "pericardial effusion"
};

/** Content of `data/cues.v1.json`, the project-authored cue lexicon. */
export const CUES_V1: CueLexiconFile = {
  "_notice": "Cue lexicon of the @came-grad/metrics CheXpert-style labeler (chexpert-style-v1). Project-authored: the cue phrases restate, as surface token sequences, the cases documented in the comment headers and lemmas of the CheXpert labeler's pattern files (data/chexpert/patterns/*.txt, MIT License, Copyright (c) 2018 Stanford Machine Learning Group; see data/chexpert/LICENSE and data/chexpert/NOTICE). Any change to this file must bump `version`.",
  "version": "chexpert-style-v1",
  "windows": {
    "forward": 8,
    "backward": 4,
    "coordinationForward": 4,
    "coordinationBackward": 2
  },
  "coordinationCues": [
    "or",
    "versus",
    "vs"
  ],
  "terminators": [
    "but",
    "however",
    "although",
    "though",
    "except",
    "whereas",
    "while",
    "which",
    "yet",
    "nevertheless"
  ],
  "terminatorBigrams": [
    "aside from",
    "apart from",
    "other than",
    "and there",
    "and the"
  ],
  "classes": {
    "preNegation": {
      "forward": [
        "cannot exclude",
        "can not exclude",
        "cannot rule out",
        "can not rule out",
        "no evidence to rule out",
        "no new"
      ],
      "backward": [
        "cannot be excluded",
        "can not be excluded",
        "not excluded",
        "not be excluded",
        "cannot be ruled out",
        "can not be ruled out",
        "not ruled out"
      ]
    },
    "negation": {
      "forward": [
        "no",
        "not",
        "without",
        "negative for",
        "free of",
        "clear of",
        "resolution of",
        "interval resolution of",
        "resolved",
        "removal of",
        "removed",
        "history of",
        "disappearance of",
        "drainage of",
        "rule out",
        "to exclude",
        "exclude",
        "absence of",
        "absent",
        "rather than",
        "normal",
        "unremarkable",
        "cleared",
        "clearing of",
        "no evidence of",
        "no evidence for",
        "without evidence of",
        "no focus of",
        "no focal",
        "no area of",
        "no development of",
        "without development of",
        "no definite",
        "no obvious"
      ],
      "backward": [
        "is absent",
        "absent",
        "has resolved",
        "have resolved",
        "resolved",
        "has cleared",
        "have cleared",
        "cleared",
        "removed",
        "has been removed",
        "have been removed",
        "normal",
        "unremarkable",
        "within normal limits",
        "upper limits of normal",
        "no longer seen",
        "no longer visualized",
        "not seen",
        "not enlarged",
        "not identified",
        "not demonstrated",
        "with interval resolution",
        "previously demonstrated",
        "previously visualized"
      ]
    },
    "postNegation": {
      "forward": [
        "possible",
        "possibly",
        "presumably",
        "probable",
        "probably",
        "questionable",
        "question of",
        "suggestion of",
        "suspect",
        "suspected",
        "suspicious for",
        "suspicious of",
        "suspicion for",
        "suspicion of",
        "concern for",
        "concerning for",
        "worrisome for",
        "may",
        "might",
        "could",
        "would",
        "cannot",
        "differential diagnosis includes",
        "differential includes",
        "favor",
        "favored",
        "consider",
        "secondary to",
        "less likely",
        "borderline",
        "correlate clinically for",
        "clinical correlation for",
        "correlation for symptoms of",
        "or",
        "versus",
        "vs"
      ],
      "backward": [
        "is suspected",
        "suspected",
        "is possible",
        "possible",
        "may be present",
        "could be present",
        "might be present",
        "not well visualized",
        "not visualized",
        "not well seen",
        "not clearly seen",
        "poorly visualized",
        "poorly evaluated",
        "incompletely evaluated",
        "not well evaluated",
        "not evaluated",
        "obscured",
        "is obscured",
        "not appreciated",
        "less likely",
        "could appear",
        "may appear",
        "is questioned",
        "or",
        "versus",
        "vs"
      ]
    },
    "stability": {
      "forward": [
        "stable",
        "unchanged",
        "no change in",
        "no significant change in",
        "no interval change in",
        "stable appearance of",
        "similar"
      ],
      "backward": [
        "stable",
        "is stable",
        "unchanged",
        "is unchanged",
        "not changed",
        "has not changed",
        "similar to prior",
        "similar to the prior",
        "similar to previous",
        "stable in appearance"
      ]
    }
  },
  "edemaUncertainPhrases": [
    "vascular congestion",
    "pulmonary congestion",
    "indistinctness",
    "vascular prominence"
  ],
  "silhouettePrefixes": [
    "cardiomediastinal",
    "pericardial",
    "mediastinal",
    "mediastinum",
    "cardiomediastinum",
    "contour",
    "configuration",
    "silhouette",
    "size",
    "heart",
    "shadow"
  ]
};
