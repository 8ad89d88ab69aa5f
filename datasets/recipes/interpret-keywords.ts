/**
 * What an interpretation of each monologue (core-texts.ts MONOLOGUES, same order) must say in
 * the target language: four content words of the monologue (`en`, each a word of it), each with
 * the translations an interpreter would use (a list: any of them; singular and plural where the
 * sentence allows either). The check asks for three of the four, so one paraphrase or omission
 * is forgiven and an English echo or unrelated speech is not. Words spelled alike in English and
 * the target language (piano, radio, jazz) are left out: saying them proves nothing.
 */
import type { Says } from '../../harness/scenario/schema.ts';
import type { TargetLanguage } from './conversation-texts.ts';

type Concept = { en: string } & Record<TargetLanguage, string[]>;

export const INTERPRET_MIN_KEYWORDS = 3;

export const INTERPRET_KEYWORDS: readonly (readonly Concept[])[] = [
  [
    { en: 'bicycle', es: ['bicicleta', 'bici'], fr: ['vélo', 'bicyclette'], de: ['Fahrrad', 'Rad'], it: ['bicicletta', 'bici'] },
    { en: 'letters', es: ['cartas', 'carta'], fr: ['lettres', 'lettre'], de: ['Briefe', 'Brief'], it: ['lettere', 'lettera'] },
    { en: 'grandmother', es: ['abuela'], fr: ['grand-mère', 'grand-mere', 'mamie'], de: ['Großmutter', 'Oma'], it: ['nonna'] },
    { en: 'bakery', es: ['panadería', 'pastelería'], fr: ['boulangerie', 'pâtisserie'], de: ['Bäckerei'], it: ['panetteria', 'panificio', 'forno'] },
  ],
  [
    {
      en: 'job',
      es: ['trabajo', 'empleo'],
      fr: ['travail', 'emploi', 'boulot', 'poste'],
      de: ['Arbeit', 'Stelle', 'Arbeitsstelle'],
      it: ['lavoro', 'impiego'],
    },
    { en: 'office', es: ['oficina'], fr: ['bureau', 'bureaux'], de: ['Büro'], it: ['ufficio'] },
    { en: 'buses', es: ['autobuses', 'autobús', 'bus'], fr: ['bus', 'autobus'], de: ['Busse', 'Bus', 'Bussen'], it: ['autobus', 'pullman'] },
    { en: 'lunch', es: ['almuerzo', 'almorzar', 'comida', 'comer'], fr: ['déjeuner', 'dejeuner'], de: ['Mittagessen'], it: ['pranzo'] },
  ],
  [
    { en: 'lake', es: ['lago'], fr: ['lac'], de: ['See'], it: ['lago'] },
    { en: 'tent', es: ['tienda', 'carpa'], fr: ['tente'], de: ['Zelt'], it: ['tenda'] },
    { en: 'storm', es: ['tormenta'], fr: ['orage', 'tempête'], de: ['Sturm', 'Gewitter', 'Unwetter'], it: ['tempesta', 'temporale'] },
    { en: 'car', es: ['coche', 'auto', 'carro'], fr: ['voiture'], de: ['Auto', 'Wagen'], it: ['macchina', 'auto'] },
  ],
  [
    { en: 'boat', es: ['barco', 'bote', 'barca'], fr: ['bateau'], de: ['Boot'], it: ['barca'] },
    { en: 'river', es: ['río'], fr: ['rivière', 'fleuve'], de: ['Fluss'], it: ['fiume'] },
    { en: 'summer', es: ['verano'], fr: ['été'], de: ['Sommer'], it: ['estate'] },
    { en: 'wood', es: ['madera'], fr: ['bois'], de: ['Holz'], it: ['legno'] },
  ],
  [
    {
      en: 'teacher',
      es: ['profesora', 'profesor', 'maestra', 'maestro'],
      fr: ['professeur', 'professeure', 'prof'],
      de: ['Lehrerin', 'Lehrer'],
      it: ['insegnante', 'maestra', 'maestro'],
    },
    { en: 'daughter', es: ['hija'], fr: ['fille'], de: ['Tochter'], it: ['figlia'] },
    { en: 'school', es: ['escuela', 'colegio'], fr: ['école', 'ecole'], de: ['Schule', 'Schulkonzert'], it: ['scuola'] },
    { en: 'morning', es: ['mañana', 'mañanas'], fr: ['matin', 'matins'], de: ['Morgen', 'morgens'], it: ['mattina', 'mattino'] },
  ],
  [
    { en: 'bakery', es: ['panadería', 'pastelería'], fr: ['boulangerie', 'pâtisserie'], de: ['Bäckerei'], it: ['panetteria', 'panificio', 'forno'] },
    { en: 'oven', es: ['horno'], fr: ['four'], de: ['Ofen', 'Backofen', 'Steinofen', 'Ziegelofen'], it: ['forno'] },
    { en: 'yellow', es: ['amarillo', 'amarillas', 'amarillos'], fr: ['jaune', 'jaunes'], de: ['gelb'], it: ['giallo', 'gialle', 'gialli'] },
    { en: 'cinnamon', es: ['canela'], fr: ['cannelle'], de: ['Zimt', 'Zimtschnecken', 'Zimtschnecke'], it: ['cannella'] },
  ],
  [
    { en: 'Lisbon', es: ['Lisboa'], fr: ['Lisbonne'], de: ['Lissabon'], it: ['Lisbona'] },
    { en: 'airport', es: ['aeropuerto'], fr: ['aéroport'], de: ['Flughafen'], it: ['aeroporto'] },
    { en: 'planes', es: ['aviones', 'avión'], fr: ['avions', 'avion'], de: ['Flugzeuge', 'Flugzeug'], it: ['aerei', 'aereo'] },
    { en: 'vacation', es: ['vacaciones'], fr: ['vacances'], de: ['Urlaub', 'Urlaubstag', 'Ferien'], it: ['vacanza', 'vacanze'] },
  ],
  [
    { en: 'father', es: ['padre', 'papá'], fr: ['père', 'papa'], de: ['Vater', 'Papa'], it: ['padre', 'papà'] },
    { en: 'closet', es: ['armario', 'ropero'], fr: ['placard', 'armoire'], de: ['Schrank', 'Wandschrank'], it: ['armadio', 'ripostiglio'] },
    { en: 'wires', es: ['cables', 'cable'], fr: ['fils', 'câbles'], de: ['Drähte', 'Kabel'], it: ['fili', 'cavi'] },
    { en: 'thumb', es: ['pulgar'], fr: ['pouce'], de: ['Daumen'], it: ['pollice'] },
  ],
  [
    { en: 'vegetables', es: ['verduras', 'hortalizas', 'vegetales'], fr: ['légumes'], de: ['Gemüse'], it: ['verdure', 'ortaggi'] },
    { en: 'tomatoes', es: ['tomates'], fr: ['tomates'], de: ['Tomaten'], it: ['pomodori'] },
    { en: 'lettuce', es: ['lechuga'], fr: ['laitue', 'salade'], de: ['Salat', 'Kopfsalat'], it: ['lattuga', 'insalata'] },
    { en: 'rabbits', es: ['conejos'], fr: ['lapins'], de: ['Kaninchen', 'Hasen'], it: ['conigli'] },
  ],
  [
    { en: 'grandmother', es: ['abuela'], fr: ['grand-mère', 'grand-mere', 'mamie'], de: ['Großmutter', 'Oma'], it: ['nonna'] },
    { en: 'party', es: ['fiesta'], fr: ['fête'], de: ['Feier', 'Fest', 'Überraschungsparty', 'Überraschungsfeier'], it: ['festa'] },
    { en: 'soup', es: ['sopa'], fr: ['soupe'], de: ['Suppe'], it: ['zuppa', 'minestra'] },
    { en: 'speech', es: ['discurso'], fr: ['discours'], de: ['Rede', 'Ansprache'], it: ['discorso'] },
  ],
];

/** The content check for interpreting MONOLOGUES[index] into `language`. */
export function interpretSays(index: number, language: TargetLanguage): Says {
  return { keywords: INTERPRET_KEYWORDS[index].map((c) => c[language]), min_keywords: INTERPRET_MIN_KEYWORDS };
}
