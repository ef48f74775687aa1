/** Given names and surnames per country, for generated users. Diacritics are kept; UPNs fold them. */
export const personNames: Readonly<Record<string, { readonly given: readonly string[]; readonly surnames: readonly string[] }>> = {
  SE: {
    given: ['Anna', 'Erik', 'Maria', 'Lars', 'Karin', 'Johan', 'Eva', 'Anders', 'Sara', 'Per', 'Emma', 'Mikael', 'Linnéa', 'Olof', 'Ingrid', 'Björn', 'Elin', 'Magnus', 'Frida', 'Nils', 'Astrid', 'Gustav', 'Maja', 'Oskar', 'Sofia', 'Henrik', 'Ebba', 'Fredrik', 'Klara', 'Jonas', 'Åsa', 'Mattias', 'Ida', 'Viktor', 'Malin', 'Daniel', 'Hanna', 'Peter', 'Ulrika', 'Stefan'],
    surnames: ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson', 'Gustafsson', 'Pettersson', 'Jonsson', 'Jansson', 'Hansson', 'Bengtsson', 'Jönsson', 'Lindberg', 'Jakobsson', 'Magnusson', 'Lindström', 'Lindqvist', 'Lindgren', 'Berg', 'Axelsson', 'Bergström', 'Lundberg', 'Lind', 'Lundgren', 'Lundqvist', 'Mattsson', 'Berglund', 'Fredriksson', 'Sandberg', 'Henriksson', 'Forsberg', 'Sjöberg', 'Wallin', 'Engström', 'Danielsson', 'Håkansson'],
  },
  GB: {
    given: ['Oliver', 'Amelia', 'George', 'Isla', 'Harry', 'Ava', 'Jack', 'Emily', 'Charlie', 'Sophie', 'Thomas', 'Grace', 'James', 'Lily', 'William', 'Chloe', 'Henry', 'Ella', 'Alfie', 'Jessica'],
    surnames: ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Robinson', 'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke'],
  },
  DE: {
    given: ['Lukas', 'Hannah', 'Leon', 'Mia', 'Felix', 'Lea', 'Jonas', 'Lena', 'Maximilian', 'Laura', 'Paul', 'Julia', 'Moritz', 'Katharina', 'Jürgen', 'Sabine', 'Stefan', 'Ute', 'Tobias', 'Anja'],
    surnames: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Schäfer', 'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Zimmermann'],
  },
  US: {
    given: ['Michael', 'Jennifer', 'David', 'Jessica', 'Christopher', 'Ashley', 'Matthew', 'Sarah', 'Joshua', 'Amanda', 'Andrew', 'Brittany', 'Ryan', 'Megan', 'Brandon', 'Lauren', 'Tyler', 'Rachel', 'Kevin', 'Nicole'],
    surnames: ['Miller', 'Davis', 'Garcia', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Anderson', 'Thomas', 'Moore', 'Martin', 'Lee', 'Perez', 'Harris', 'Sanchez', 'Ramirez', 'Lewis', 'Young', 'Allen'],
  },
  PL: {
    given: ['Jakub', 'Zuzanna', 'Kacper', 'Julia', 'Szymon', 'Maja', 'Filip', 'Lena', 'Michał', 'Zofia', 'Piotr', 'Agnieszka', 'Krzysztof', 'Małgorzata', 'Tomasz', 'Katarzyna', 'Paweł', 'Magdalena', 'Łukasz', 'Joanna'],
    surnames: ['Nowak', 'Kowalski', 'Wiśniewski', 'Wójcik', 'Kowalczyk', 'Kamiński', 'Lewandowski', 'Zieliński', 'Szymański', 'Woźniak', 'Dąbrowski', 'Kozłowski', 'Jankowski', 'Mazur', 'Kwiatkowski', 'Krawczyk', 'Piotrowski', 'Grabowski', 'Nowakowski', 'Pawłowski'],
  },
  DK: {
    given: ['Mads', 'Freja', 'Rasmus', 'Ida', 'Mathias', 'Emma', 'Frederik', 'Sofie', 'Søren', 'Mette', 'Jens', 'Louise', 'Niels', 'Camilla', 'Kasper', 'Signe', 'Anders', 'Julie', 'Mikkel', 'Line'],
    surnames: ['Jensen', 'Nielsen', 'Hansen', 'Pedersen', 'Andersen', 'Christensen', 'Larsen', 'Sørensen', 'Rasmussen', 'Jørgensen', 'Petersen', 'Madsen', 'Kristensen', 'Olsen', 'Thomsen', 'Christiansen', 'Poulsen', 'Johansen', 'Møller', 'Mortensen'],
  },
};
