/**
 * Argentine names, streets and towns for generated subscribers. ISPCube keeps names as "SURNAME NAME" in
 * capitals with their accents (shared/vendors/ispcube.md §4); PPPoE users are folded to ASCII. RouterOS
 * comments keep their accents: each router sends them in its text encoding (windows-1252 as Winbox
 * writes them, UTF-8 as the API does; shared/vendors/routeros.md §1.9).
 */
export const SURNAMES = [
  "GONZÁLEZ", "RODRÍGUEZ", "GÓMEZ", "FERNÁNDEZ", "LÓPEZ", "DÍAZ", "MARTÍNEZ", "PÉREZ", "GARCÍA", "SÁNCHEZ",
  "ROMERO", "SOSA", "ÁLVAREZ", "TORRES", "RUIZ", "RAMÍREZ", "FLORES", "BENÍTEZ", "ACOSTA", "MEDINA",
  "HERRERA", "SUÁREZ", "AGUIRRE", "GIMÉNEZ", "GUTIÉRREZ", "PEREYRA", "ROJAS", "MOLINA", "CASTRO", "ORTIZ",
  "SILVA", "NÚÑEZ", "LUNA", "JUÁREZ", "CABRERA", "RÍOS", "FERREYRA", "GODOY", "MORALES", "DOMÍNGUEZ",
  "MOREYRA", "PERALTA", "VEGA", "CARRIZO", "QUIROGA", "CASTILLO", "LEDESMA", "MUÑOZ", "OJEDA", "PONCE",
  "VERA", "VÁZQUEZ", "VILLALBA", "CÁCERES", "PÁEZ", "IBÁÑEZ", "ARIAS", "MÉNDEZ", "CÓRDOBA", "BUSTOS",
  "OLIVERA", "BRITOS", "MALDONADO", "ZÁRATE", "CHÁVEZ", "GUZMÁN", "ESCOBAR", "ROLDÁN", "BUSTAMANTE", "OVIEDO",
];

export const GIVEN_NAMES = [
  "JUAN CARLOS", "MARÍA JOSÉ", "JOSÉ LUIS", "ANA BELÉN", "MARTÍN", "SOFÍA", "LUCÍA", "VALENTINA", "AGUSTÍN",
  "MATÍAS", "NICOLÁS", "CAMILA", "FLORENCIA", "JULIÁN", "ROCÍO", "NAHUEL", "MÁXIMO", "TOMÁS", "JOAQUÍN",
  "INÉS", "RAMÓN", "HÉCTOR", "NÉSTOR", "ÓSCAR", "RAÚL", "MÓNICA", "SILVIA", "GRACIELA", "BEATRIZ", "ROSA",
  "MARCELA", "GUSTAVO", "DANIEL", "CLAUDIA", "SEBASTIÁN", "GERMÁN", "VERÓNICA", "PATRICIA", "ROBERTO",
  "MIRTA", "ESTEBAN", "NOELIA", "EZEQUIEL", "MAGALÍ", "ANDRÉS", "ALEJANDRA", "FACUNDO", "BRENDA", "IVÁN",
  "CINTIA", "LEANDRO", "JÉSSICA", "GABRIELA", "RUBÉN", "ELENA", "MARÍA DE LOS ÁNGELES", "JUAN PABLO",
];

export const STREETS = [
  "Av. San Martín", "Belgrano", "Rivadavia", "Sarmiento", "Mitre", "Av. Vélez Sársfield", "Bv. España",
  "Güemes", "Entre Ríos", "Tucumán", "Córdoba", "Santa Fe", "Mendoza", "Jujuy", "Catamarca", "Lavalle",
  "Moreno", "Alem", "Av. Colón", "Deán Funes", "Gral. Paz", "Buenos Aires", "Corrientes", "Independencia",
  "Libertad", "Maipú", "25 de Mayo", "9 de Julio", "Pueyrredón", "Echeverría", "Hipólito Yrigoyen", "Perú",
  "Chile", "Bolívar", "La Rioja", "Bv. Sarmiento", "Av. Perón", "Santiago del Estero", "Salta", "Chacabuco",
  "Estrada", "Av. Costanera", "Dr. Ramón J. Cárcano", "Int. Peña", "Mariano Moreno", "Ituzaingó",
];

/** Towns of one region (Córdoba), with their landline/mobile area code. */
export const TOWNS: readonly { name: string; areaCode: string }[] = [
  { name: "Villa María", areaCode: "353" },
  { name: "Villa Nueva", areaCode: "353" },
  { name: "Bell Ville", areaCode: "3537" },
  { name: "Río Tercero", areaCode: "3571" },
  { name: "Oncativo", areaCode: "3572" },
  { name: "Oliva", areaCode: "3532" },
  { name: "James Craik", areaCode: "3533" },
  { name: "Las Varillas", areaCode: "3533" },
];

export const NEIGHBOURHOODS = [
  "Centro", "Barrio Norte", "Barrio Güemes", "Villa Albertina", "Barrio Belgrano", "Las Acacias", "Palermo",
  "San Justo", "Barrio Rivadavia", "General Lamadrid", "Los Olmos", "Ramón Carrillo", "Barrio Ameghino",
  "San Nicolás", "Nicolás Avellaneda", "Florentino Ameghino", "La Calera", "Bello Horizonte", "Mariano Moreno",
  "Botta", "Santa Ana", "Barrio Evita", "Parque Norte", "Los Algarrobos",
];

export const MAIL_DOMAINS = ["gmail.com", "hotmail.com", "yahoo.com.ar", "outlook.com", "live.com.ar", "fibertel.com.ar"];

/** ASCII, lower-case form of a name, for PPPoE users and e-mail addresses. */
export function foldAscii(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}
